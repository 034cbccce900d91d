/*
 * ui.h - the curses dashboard.  main.c hands over the parsed command line
 * (database path, --demo); the dashboard opens the store and the data
 * through it and runs until the user quits.
 */
#ifndef DLREPRO_UI_H
#define DLREPRO_UI_H

struct cli;

/* Run the dashboard; returns the process exit status (0 after a quit). */
int ui_run(struct cli *cli);

#endif
