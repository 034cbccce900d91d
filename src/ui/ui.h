/*
 * ui.h (private to src/ui/) - the generic view core shared by every view:
 * the dashboard state, the view_ops table each view fills in, the key
 * table the dispatcher and the help overlay both read, colours and the
 * terminal-safe drawing helpers.  Only files under src/ui/ include curses.
 */
#ifndef DLREPRO_UI_PRIVATE_H
#define DLREPRO_UI_PRIVATE_H

#include <curses.h>
#include <stdint.h>

#include "dlrepro/util.h"

struct cli;
struct store;
struct dl_data;
struct engine;
struct ui;
struct view;

enum ui_view_id {
	VIEW_LIST,
	VIEW_POST,
	VIEW_SESSION,
	VIEW_HISTORY,
	VIEW_STATS,
	VIEW_HELP,
	VIEW__COUNT
};

#define VMASK(v) (1u << (v))
#define VMASK_ANY 0u

enum ui_move {
	MOVE_LINE,
	MOVE_HALF,
	MOVE_PAGE,
	MOVE_FIRST,
	MOVE_LAST,
};

/* What a view does; the core calls these and nothing else. */
struct view_ops {
	const char *name;	/* "list" */
	const char *title;	/* "Posts" */
	void *(*open)(struct ui *ui);
	void (*close)(void *priv);
	void (*draw)(struct ui *ui, struct view *v, WINDOW *win);
	void (*move)(struct ui *ui, struct view *v, enum ui_move how, int dir);
	/* The database changed (another process, or our own write). */
	void (*reload)(struct ui *ui, struct view *v);
	/* Enter on this view; NULL: switch focus to the next pane. */
	void (*enter)(struct ui *ui, struct view *v);
};

struct view {
	const struct view_ops *ops;
	void *priv;
	int h, w;		/* size at the last draw */
};

extern const struct view_ops list_view_ops;
extern const struct view_ops post_view_ops;
extern const struct view_ops session_view_ops;
extern const struct view_ops history_view_ops;
extern const struct view_ops stats_view_ops;
extern const struct view_ops help_view_ops;

enum ui_layout {
	LAYOUT_WIDE,		/* side by side, >= 120 columns */
	LAYOUT_STACKED,		/* one above the other, >= 80 columns */
	LAYOUT_SINGLE,		/* one pane, Tab switches, down to 40x10 */
	LAYOUT_TOO_SMALL,
};

/* Colour roles; ui_attr() maps them to colour or monochrome attributes. */
enum ui_role {
	R_NORMAL,
	R_DIM,
	R_BOLD,
	R_HEADING,
	R_SELECTED,
	R_SELECTED_DIM,		/* selection in a pane without focus */
	R_STATUS,
	R_TITLE,
	R_PRESENT,
	R_MISSING,
	R_UNKNOWN,
	R_CODE,
	R_INLINE_CODE,
	R_LINK,
	R_QUOTE,
	R_HIGHLIGHT,
	R_ERROR,
	R_RUNNING,
	R_PAUSED,
	R_BAR,
	R_TYPE,			/* + enum bug_type: one role per type */
	R__COUNT = R_TYPE + 6
};

/* Overlays take the keys while open; Esc closes them. */
enum ui_overlay {
	OV_NONE,
	OV_HELP,
	OV_MENU,
	OV_PROMPT,
	OV_CONFIRM,
};

struct ui_menu_item {
	char *label;
	int value;
	char *svalue;
};

struct ui_menu {
	char *title;
	struct ui_menu_item *items;
	size_t n;
	size_t sel;
	void (*done)(struct ui *ui, const struct ui_menu_item *item);
};

struct ui_prompt {
	char *label;
	wchar_t buf[512];
	size_t len;
	void (*done)(struct ui *ui, const char *text);	/* NULL text: Esc */
};

struct ui_confirm {
	char *question;
	void (*done)(struct ui *ui, int yes);	/* -1: Esc */
};

struct ui {
	struct cli *cli;
	struct store *st;
	struct dl_data *data;
	struct engine *engine;	/* NULL when the data could not load */
	char *engine_err;
	struct view views[VIEW__COUNT];
	int primary;		/* VIEW_LIST, VIEW_HISTORY or VIEW_STATS */
	int focus;		/* the view that takes movement keys */
	int show_session;	/* session panel visible */
	enum ui_layout layout;
	WINDOW *pane[3];	/* primary, post, session */
	int pane_view[3];
	int npanes;
	int rows, cols;
	int colour;
	int quit;
	int dirty;
	double last_input;	/* now_mono() of the last key */
	int64_t data_version;

	/* The post selected in the list: the post and session views follow. */
	char *sel_id;

	enum ui_overlay overlay;
	struct ui_menu menu;
	struct ui_prompt prompt;
	struct ui_confirm confirm;
	int help_top;

	char *msg;
	int msg_error;
	double msg_until;

	char *filter_desc;	/* set by the list view for the status bar */
	int64_t nposts;
	char *quota;		/* "quota 295/300" when known */
	char *session_desc;	/* set by the session view */
	char *session_post;	/* post of the open session, or NULL */
	char *fetch_desc;
};

/* Core (ui.c). */
void ui_msg(struct ui *ui, const char *fmt, ...) DL_PRINTF(2, 3);
void ui_error(struct ui *ui, const char *fmt, ...) DL_PRINTF(2, 3);
/* Report error_msg() with a prefix. */
void ui_error_slot(struct ui *ui, const char *what);
void ui_select_post(struct ui *ui, const char *id);
void ui_set_primary(struct ui *ui, int view);
void ui_focus(struct ui *ui, int view);
void ui_reload_all(struct ui *ui);
void ui_request_quit(struct ui *ui);
/* Ctrl-L: the next frame repaints the whole terminal. */
void ui_redraw(struct ui *ui);
struct view *ui_view(struct ui *ui, int id);

/* Overlays (ui.c). */
void ui_menu_open(struct ui *ui, const char *title,
		  void (*done)(struct ui *, const struct ui_menu_item *));
void ui_menu_add(struct ui *ui, const char *label, int value,
		 const char *svalue);
void ui_prompt_open(struct ui *ui, const char *label, const char *init,
		    void (*done)(struct ui *, const char *));
void ui_confirm_open(struct ui *ui, const char *question,
		     void (*done)(struct ui *, int));

/* Keys (keys.c). */
#define UI_FKEY(k) ((k) | 0x1000000)
#define UI_CTRL(c) ((c) & 0x1f)
#define UI_ESC 27

struct ui_key {
	int key;
	const char *name;	/* as shown in help: "j", "Down", "Ctrl-d" */
	const char *help;
	unsigned views;		/* VMASK of views, VMASK_ANY everywhere */
	void (*run)(struct ui *ui);
};

extern const struct ui_key ui_keys[];
extern const size_t ui_nkeys;
/* Run the first entry for key in the focused view; 0 when none. */
int ui_key_dispatch(struct ui *ui, int key);

/* Drawing (draw.c). */
void draw_init_colours(struct ui *ui);
attr_t ui_attr(const struct ui *ui, int role);
int ui_type_role(int type);
/* Draw untrusted s clipped to maxw columns; returns columns used. */
int draw_strn(WINDOW *w, int y, int x, int maxw, const char *s, size_t len,
	      attr_t a);
int draw_str(WINDOW *w, int y, int x, int maxw, const char *s, attr_t a);
int draw_printf(WINDOW *w, int y, int x, int maxw, attr_t a,
		const char *fmt, ...) DL_PRINTF(6, 7);
void draw_fill(WINDOW *w, int y, int x, int n, attr_t a);
/* One cell (wc from safe_next) at the cursor. */
void draw_wc(WINDOW *w, wchar_t wc, attr_t a);
/* A box border with a title; the usable area is inside. */
void draw_box(WINDOW *w);
void draw_frame(struct ui *ui, WINDOW *w, const char *title, int focused);
/* "hh:mm:ss" into buf (>= 16 bytes). */
void format_hms(double seconds, char *buf, size_t len);

/* The help box's width on a terminal cols wide. */
int help_view_width(int cols);
/* The help's top line that shows its last line in a box h x w. */
int help_view_max_top(int h, int w);

/* Shared by views. */
const char *ui_type_abbrev(const struct ui *ui, int type);
const char *ui_triage_short(int triage);
int ui_utf8(void);

/* View entry points used across views. */
void post_view_cycle_cat(struct ui *ui);
void post_view_copy_questions(struct ui *ui);
void post_view_page_questions(struct ui *ui);
void post_view_open_link(struct ui *ui);
void post_view_reanalyse(struct ui *ui);
void post_view_correct(struct ui *ui);
void ui_focus_next(struct ui *ui, int dir);

/* Session hooks (view_session.c). */
void session_view_startup(struct ui *ui);	/* crash recovery offer */
void session_view_shutdown(struct ui *ui);
void session_view_tick(struct ui *ui);		/* every second */
int session_view_quit_check(struct ui *ui);	/* 1: asked, wait */
void session_view_start(struct ui *ui);
void session_view_tick_action(struct ui *ui);
void session_view_pause(struct ui *ui);
void session_view_undo(struct ui *ui);
void session_view_stop(struct ui *ui);
void session_view_show_past(struct ui *ui, long long id);
int session_view_back(struct ui *ui);	/* 1: left a past timeline */
/* 0: no past timeline shown; 1: one is, 2: one is and a session is open. */
int session_view_showing_past(struct ui *ui);
/*
 * Let the user write text in $VISUAL or $EDITOR (else vi), starting from
 * initial (or an empty file named ...suffix, e.g. ".md", in $TMPDIR, else
 * /tmp), keeping a running session's heartbeat.  0 with *out the text,
 * trailing blanks cut (NULL when empty); -1 when not taken (an editor
 * that fails or is killed, text with NUL bytes), said on the status line
 * with lost, what that means ("no report added").
 */
int ui_edit_text(struct ui *ui, const char *initial, const char *suffix,
		 char **out, const char *lost);

/*
 * Fetch hooks (view_fetch.c).  While a job runs the loop waits in
 * fetch_view_wait() (network and stdin together): 1 when it waited.
 */
int fetch_view_wait(struct ui *ui, int timeout_ms);
void fetch_view_start(struct ui *ui);
void fetch_view_shutdown(struct ui *ui);
void fetch_view_startup(struct ui *ui);	/* the remembered API quota */

/* List (view_list.c). */
void list_view_search(struct ui *ui);
void list_view_search_next(struct ui *ui, int dir);
void list_view_filter(struct ui *ui);
void list_view_triage(struct ui *ui);
/* Write or paste a bug report in $EDITOR and store it as manual:N. */
void list_view_add_report(struct ui *ui);
/*
 * Move the list's selection to post id: its index, -2 when the filter or
 * search hides it, -1 on error (the error set).
 */
int64_t list_view_select(struct ui *ui, const char *id);
/* Analyse one visible unanalysed post (run) or say whether one waits. */
int list_view_idle(struct ui *ui, int run);

/* Outcome names for filter menus (view_session.c). */
void ui_list_outcomes(struct ui *ui);

/* Processes (spawn.c): argv only, never a shell. */
/* Start a detached program; DL_OK or DL_ERR with the error set. */
int spawn_detached(char *const argv[]);
/*
 * Run argv with stdin from file (NULL: the terminal's) and wait; its exit
 * status, -1 when it was killed, or SPAWN_NOT_RUN with the error set
 * ("PROG: cannot run: ...") when it could not be started at all.
 */
#define SPAWN_NOT_RUN (-2)
int spawn_wait_stdin(char *const argv[], const char *file);
/*
 * The words of a command taken from the environment ($EDITOR, $PAGER),
 * then arg: the whole value when it names a program (a path with spaces,
 * "/opt/My Editor/ed"), else the value split at blanks ("code --wait"),
 * never a shell.  Appended to sv (NULL-terminated, for execvp()).
 */
void spawn_command(const char *value, const char *arg, struct strvec *sv);
/* First of the names found in $PATH, or NULL; static storage. */
const char *spawn_which(const char *name);

/* History (view_history.c). */
void history_view_filter(struct ui *ui);
void history_view_tick(struct ui *ui);	/* every second */

#endif
