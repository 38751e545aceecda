// The page frame: Indonesian, readable on a 360 px phone and on a desktop, usable with the keyboard.
import { createHash } from 'node:crypto';
import { html, raw, type Html } from './html.js';

const CSS = `
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,sans-serif;color:#0b0c0c;background:#f3f2f1}
header{background:#0b3d2e;color:#fff;padding:.75rem 1rem;display:flex;flex-wrap:wrap;gap:.75rem;align-items:center}
header a{color:#fff}header .brand{font-weight:700;font-size:1.2rem;margin-right:auto;text-decoration:none}
main{max-width:72rem;margin:0 auto;padding:1rem}
section{background:#fff;padding:1rem;margin:0 0 1rem;border-radius:4px}
h1{font-size:1.6rem;margin:.2rem 0 1rem}h2{font-size:1.25rem;margin:0 0 .75rem}
h3{font-size:1.05rem;margin:.75rem 0 .5rem}
a{color:#1d70b8}
a:focus,button:focus,input:focus,select:focus,textarea:focus{outline:3px solid #ffdd00;outline-offset:0}
label{display:block;font-weight:600;margin:.6rem 0 .2rem}.hint{color:#505a5f;font-size:.9rem;margin:0 0 .3rem}
input,select,textarea{width:100%;max-width:32rem;padding:.45rem;border:2px solid #0b0c0c;border-radius:0;font:inherit}
input[type=checkbox]{width:1.4rem;height:1.4rem;flex:none;margin:0}
.check{display:flex;align-items:center;gap:.6rem;margin:.35rem 0;font-weight:normal}
textarea{min-height:5rem}
button{margin-top:.8rem;padding:.55rem 1rem;border:0;background:#00703c;color:#fff;font:inherit;font-weight:600;
cursor:pointer}
button.secondary{background:#f3f2f1;color:#0b0c0c;border:2px solid #0b0c0c}button.warning{background:#d4351c}
.error-summary{border:4px solid #d4351c;padding:.75rem 1rem;margin-bottom:1rem;background:#fff}
.error-summary h2{color:#d4351c}
.field-error{color:#d4351c;font-weight:700;margin:.2rem 0}
.field-wrong{border-left:4px solid #d4351c;padding-left:.6rem}
.next-step{border-left:6px solid #1d70b8;padding-left:.8rem}
.more-actions>summary{font-weight:700;font-size:1.1rem;padding:.6rem 0}
.ok{border-left:6px solid #00703c;padding:.5rem 1rem;background:#fff;margin-bottom:1rem}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.4rem .5rem;border-bottom:1px solid #b1b4b6;vertical-align:top}
.table-wrap{overflow-x:auto}.history time{color:#505a5f;margin-right:.4rem}
.break,p,li,h1,h2,h3,summary{overflow-wrap:anywhere}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.tag{display:inline-block;padding:.1rem .4rem;background:#dbe9f6;font-size:.85rem;font-weight:600}
.tag.late{background:#f6d7d2;color:#942514}.tag.done{background:#cce2d8;color:#005a30}
.tag.now{background:#fff2a8;color:#0b0c0c}
.stages{display:flex;flex-wrap:wrap;gap:.4rem;list-style:none;padding:0;margin:0}
.stages li{padding:.35rem .6rem;border:2px solid #b1b4b6;background:#fff}
.stages li.current{border-color:#0b3d2e;background:#0b3d2e;color:#fff;font-weight:700}
.stages li.done{border-color:#00703c}
.grid{display:grid;gap:1rem;grid-template-columns:repeat(auto-fit,minmax(18rem,1fr))}
details{margin:.5rem 0}summary{cursor:pointer;font-weight:600;color:#1d70b8}.muted{color:#505a5f}
form.inline{display:inline}form:not(.inline)>button{display:block}nav.pages{display:flex;gap:1rem;margin-top:1rem}
button.flush{margin:0}.nested{margin-left:1.25rem;border-left:3px solid #b1b4b6;padding-left:.75rem}
input.auto{width:auto}header .who{color:#dfe}
.diff{white-space:pre-wrap;line-height:1.7}.diff ins{background:#cce2d8;color:#005a30;text-decoration:underline}
.diff del{background:#f6d7d2;color:#942514;text-decoration:line-through}mark{background:#fff2a8}
form.search{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end}
figure{margin:0;min-width:0}figure svg{max-width:100%;height:auto}caption{text-align:left;font-weight:600}
.check label{margin:0;font-weight:normal}.month{list-style:none;padding:0;margin:0}
.month .weekday,.month .pad,.month .empty{display:none}
.month .day{border-top:1px solid #b1b4b6;padding:.4rem 0}.month ul{list-style:none;padding:0;margin:.2rem 0 0}
.month .entry{font-size:.9rem;margin:.15rem 0;padding-left:.4rem;border-left:4px solid #1d70b8}
.month .entry.signing{border-color:#00703c}.month .entry.due{border-color:#d4351c}
.month .today .day-date{font-weight:700}
.month-nav{display:flex;justify-content:space-between;gap:1rem}
@media (min-width:760px){.month{display:grid;grid-template-columns:repeat(7,minmax(0,1fr));gap:1px;background:#b1b4b6;
border:1px solid #b1b4b6}
.month .weekday,.month .pad,.month .empty{display:block}
.month .weekday{background:#f3f2f1;font-weight:700;padding:.2rem .4rem}
.month .day,.month .pad{background:#fff;border:0;padding:.3rem .4rem;min-height:5.5rem}
.month .weekend{background:#f8f8f8}
.month .day-name{display:none}.month .today{outline:3px solid #1d70b8;outline-offset:-3px}}
`;

/**
 * The page's one style sheet, allowed by its hash: the Content Security Policy admits no other inline style or script.
 */
export const STYLE_HASH = `'sha256-${createHash('sha256').update(CSS).digest('base64')}'`;

export interface PageOptions {
  /** Who is signed in, in words: "Meisya · Pemerintah Kabupaten Garut". */
  signedIn?: { label: string };
}

export function page(title: string, body: Html, opts: PageOptions = {}): string {
  return html`<!doctype html>
<html lang="id"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} — Sinergi</title><style>${raw(CSS)}</style></head>
<body><header><a class="brand" href="/">Sinergi</a>
${
  opts.signedIn
    ? html`<a href="/kesepakatan">Kesepakatan</a><a href="/ringkasan">Ringkasan</a><a href="/tenggat">Tenggat</a>
<a href="/kalender">Kalender</a><a href="/dokumen">Dokumen</a><a href="/direktori">Direktori</a><a href="/sesi">Sesi</a>
<span class="who">${opts.signedIn.label}</span>
<form class="inline" method="post" action="/keluar"><button class="secondary flush">Keluar</button></form>`
    : ''
}
</header><main>${body}</main></body></html>`.value;
}

/** "Ada kesalahan" summary at the top, linking to each field, as the GOV.UK pattern does. */
export function errorSummary(message: string | undefined, field?: string): Html {
  if (!message) return html``;
  return html`<div class="error-summary" role="alert" tabindex="-1"><h2>Ada masalah</h2>
<p>${field ? html`<a href="#f-${field}">${message}</a>` : message}</p></div>`;
}
