// Runs before the page is drawn: tells the stylesheet that scripts run, so menus and filters
// that a button opens start closed on phones (without JavaScript they simply stay open).
document.documentElement.classList.add("js");
