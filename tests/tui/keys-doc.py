#!/usr/bin/env python3
"""Every key of the dashboard's key table (src/ui/keys.c, the table the
dispatcher and the help overlay read) is documented in the man page's KEYS
subsection and in the README's dashboard section.  Prints TAP."""
import os
import re
import sys

top = os.environ.get("TOP_SRCDIR", ".")
keys_c = open(os.path.join(top, "src/ui/keys.c"), encoding="utf-8").read()
man = open(os.path.join(top, "man/dlrepro.1"), encoding="utf-8").read()
readme = open(os.path.join(top, "README.md"), encoding="utf-8").read()

table = keys_c[keys_c.index("const struct ui_key ui_keys[]"):]
names = sorted(set(re.findall(r'\{\s*[^,]+,\s*"([^"]+)",', table)))

m = re.search(r"^\.SS KEYS\n(.*?)^\.S[HS] ", man, re.S | re.M)
man_keys = m.group(1).replace("\\-", "-").replace("\\(", "(") if m else ""
m = re.search(r"^## The dashboard\n(.*?)^## ", readme, re.S | re.M)
readme_dash = m.group(1) if m else ""


def mentioned(text, name):
    # a key name stands alone: "g" must not match inside "go"
    return re.search(r"(?<![A-Za-z0-9-])" + re.escape(name) +
                     r"(?![A-Za-z0-9])", text) is not None


print("1..%d" % (2 * len(names) + 1))
n = 1
print(("ok" if len(names) > 30 else "not ok") +
      " %d - the key table was read (%d names)" % (n, len(names)))
for name in names:
    n += 1
    print(("ok" if mentioned(man_keys, name) else "not ok") +
          " %d - man page KEYS documents %s" % (n, name))
    n += 1
    print(("ok" if mentioned(readme_dash, name) else "not ok") +
          " %d - README dashboard section documents %s" % (n, name))
