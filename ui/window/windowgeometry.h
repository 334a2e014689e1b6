#pragma once

class QMainWindow;
class QSettings;

// Where the main window opens: as it was left (its geometry and its docks' and toolbars'
// state under "window/" in `settings`), else at a roomy default size centred on its
// screen; and never larger than the screen it opens on.
void restoreWindowGeometry(QMainWindow *window, const QSettings &settings);
// Keeps the window's geometry and state for the next start.
void saveWindowGeometry(const QMainWindow *window, QSettings &settings);
