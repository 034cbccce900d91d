/*
 * view_fetch.c - fetching from inside the dashboard through the fetch
 * layer's non-blocking API: the loop polls its descriptors next to the
 * keyboard so the timer and the keys keep working.
 */
#include "config.h"

#include <poll.h>

#include "ui.h"

int
fetch_view_fds(struct ui *ui, struct pollfd *pfd, int max, int *timeout)
{
	(void)ui;
	(void)pfd;
	(void)max;
	(void)timeout;
	return 0;
}

void
fetch_view_poll(struct ui *ui)
{
	(void)ui;
}

void
fetch_view_start(struct ui *ui)
{
	ui_msg(ui, "Fetching is not available in this build yet");
}
