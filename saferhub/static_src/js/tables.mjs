// Tables on phones (WCAG 1.4.10 Reflow): each cell learns its column's heading (data-label), and below
// 641 px the stylesheet stacks a table's rows into cards, each cell led by its heading. Without this
// script a wide table scrolls inside itself (see .govuk-table in saferhub.scss), never the page.

export function labelTables(scope) {
  for (const table of scope.querySelectorAll("table.govuk-table")) {
    if (table.classList.contains("saferhub-table--no-stack")) continue;
    const headings = [...table.querySelectorAll(":scope > thead > tr:last-child > th")].map((th) =>
      th.textContent.trim(),
    );
    if (!headings.length) continue;
    for (const row of table.querySelectorAll(":scope > tbody > tr, :scope > tfoot > tr")) {
      let column = 0;
      for (const cell of row.children) {
        const heading = headings[column];
        if (heading && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", heading);
        column += cell.colSpan || 1;
      }
    }
    table.classList.add("saferhub-table--stack");
  }
}
