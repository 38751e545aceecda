// Text made safe inside HTML: the one escaper for pages, e-mails, charts and search snippets.

/** `&`, `<`, `>`, `"` and `'` as entities, so a value can stand in text and in a quoted attribute. */
export const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
