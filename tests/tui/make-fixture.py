#!/usr/bin/env python3
"""Write the screen tests' fixture posts (Stack Exchange wrapper JSON).

Deterministic: a few hand-written posts (one per bug type, one full of
terminal escape sequences and control bytes, one with wide characters)
and numbered filler posts so that the list pages.
"""
import json
import sys

ESC = "\x1b"
posts = [
    {"question_id": 1001, "tags": ["python", "pytorch", "cuda"],
     "title": "CUDA out of memory on RTX 3090", "score": 12,
     "creation_date": 1700000000,
     "link": "https://stackoverflow.com/questions/1001/cuda-oom",
     "body": "<p>Training a ResNet with <code>batch_size=64</code> and "
             "<code>lr=0.01</code> fails:</p><pre><code>import torch\n"
             "model = torchvision.models.resnet50()\nmodel.cuda()\n"
             "x = torch.randn(64, 3, 224, 224).cuda()\n</code></pre>"
             "<pre><code>Traceback (most recent call last):\n"
             "  File \"train.py\", line 3, in &lt;module&gt;\n"
             "RuntimeError: CUDA out of memory.\n</code></pre>"
             "<p>See <a href=\"https://pytorch.org/docs\">the docs</a>.</p>"},
    {"question_id": 1002, "tags": ["python", "keras", "loss-function"],
     "title": "Loss is nan after the first epoch", "score": 5,
     "creation_date": 1700100000,
     "link": "https://stackoverflow.com/questions/1002/nan",
     "body": "<p>My loss becomes nan. I use the Adam optimizer with "
             "learning rate 0.1 and 50 epochs.</p><pre><code>model.fit(x, y, "
             "epochs=50)\n</code></pre><p>Epoch 1/50 loss: nan</p>"},
    {"question_id": 1003, "tags": ["tensorflow", "layer"],
     "title": "Conv2D unicorn layer shape mismatch", "score": 3,
     "creation_date": 1700200000,
     "link": "https://stackoverflow.com/questions/1003/conv2d",
     "body": "<p>The Conv2D layer rejects my input of shape (32, 28, 28).</p>"},
    {"question_id": 1004, "tags": ["python", "attributeerror"],
     "title": "module 'tensorflow' has no attribute 'Session'", "score": 8,
     "creation_date": 1700300000,
     "link": "https://stackoverflow.com/questions/1004/session",
     "body": "<pre><code>sess = tf.Session()\n</code></pre><p>AttributeError: "
             "module 'tensorflow' has no attribute 'Session'</p>"},
    {"question_id": 1005, "tags": ["pytorch", "tensor"],
     "title": "Tensor of size 3 does not match size 4", "score": 2,
     "creation_date": 1700400000,
     "link": "https://stackoverflow.com/questions/1005/tensor",
     "body": "<p>Adding two tensors fails.</p>"},
    {"question_id": 1006, "tags": ["python", "keras"],
     "title": "Evil " + ESC + "]0;PWNED-TITLE\x07 title " + ESC + "[31mred"
              + ESC + "[0m \x9b2J \x9d0;C1TITLE\x9c end",
     "score": 1, "creation_date": 1700500000,
     "link": "https://stackoverflow.com/questions/1006/evil",
     "body": "<p>Body " + ESC + "]2;PWNED-BODY" + ESC + "\\ text " + ESC
             + "[2J" + ESC + "[H bell\x07 back\x08 c1\x85 csi\x9b" + "31m"
             + " osc\x9d" + "2;C1BODY\x07 nul done marker-evil</p>"},
    {"question_id": 1007, "tags": ["pytorch", "training-data"],
     "title": "训练 loss 不下降 wide 中文", "score": 4,
     "creation_date": 1700600000,
     "link": "https://stackoverflow.com/questions/1007/wide",
     "body": "<p>数据集很小 (dataset of 100 images).</p>"},
]
tagsets = [["python", "pytorch"], ["keras", "optimization"],
           ["tensorflow", "gpu"], ["python", "valueerror"],
           ["pytorch", "model"]]
for i in range(23):
    n = 1008 + i
    posts.append({
        "question_id": n, "tags": tagsets[i % len(tagsets)],
        "title": "Filler post number %d about training" % n,
        "score": i % 7, "creation_date": 1701000000 + i * 1000,
        "link": "https://stackoverflow.com/questions/%d/filler" % n,
        "body": "<p>Filler body %d with <code>model.fit()</code>.</p>" % n})

json.dump({"items": posts, "has_more": False, "quota_max": 300,
           "quota_remaining": 290}, sys.stdout, ensure_ascii=True)
sys.stdout.write("\n")
