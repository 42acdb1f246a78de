/**
 * The player's look, inside its shadow root: nothing leaks in or out. Hosts
 * theme it with the `--hlc-*` custom properties (they cross the shadow
 * boundary) and `theme="light" | "dark" | "auto"`.
 */
export const PLAYER_CSS = /* css */ `
:host {
  --hlc-font: system-ui, -apple-system, "Segoe UI", "Hiragino Sans", "Noto Sans JP", "Yu Gothic UI", Meiryo, sans-serif;
  --hlc-bg: #ffffff;
  --hlc-surface: #f4f5f7;
  --hlc-text: #1b1f24;
  --hlc-muted: #5c6570;
  --hlc-border: #d9dde3;
  --hlc-accent: #2456d6;
  --hlc-accent-text: #ffffff;
  --hlc-name: #3c4450;
  --hlc-artist-bg: #fff4d6;
  --hlc-artist-border: #d49b00;
  --hlc-info-bg: #e6efff;
  --hlc-warning-bg: #fff1d6;
  --hlc-critical-bg: #ffe1e1;
  --hlc-danger: #b42318;
  --hlc-ok: #1a7f37;
  --hlc-wait: #b76e00;
  --hlc-radius: 10px;
  --hlc-font-size: 14px;
  display: flex;
  flex-direction: column;
  box-sizing: border-box;
  min-height: 240px;
  height: 100%;
  font: var(--hlc-font-size)/1.45 var(--hlc-font);
  color: var(--hlc-text);
  background: var(--hlc-bg);
  border: 1px solid var(--hlc-border);
  border-radius: var(--hlc-radius);
  overflow: hidden;
  contain: content;
}
:host([theme="dark"]) { color-scheme: dark; }
:host([theme="dark"]), .dark-vars {
  --hlc-bg: #15181d;
  --hlc-surface: #1f242b;
  --hlc-text: #e8eaed;
  --hlc-muted: #a3acb8;
  --hlc-border: #343b45;
  --hlc-accent: #7aa2ff;
  --hlc-accent-text: #0b1020;
  --hlc-name: #c3cad4;
  --hlc-artist-bg: #3a2f10;
  --hlc-artist-border: #e2b13c;
  --hlc-info-bg: #1c2a45;
  --hlc-warning-bg: #3d2e10;
  --hlc-critical-bg: #4a1c1c;
  --hlc-danger: #ff8a80;
  --hlc-ok: #56d37c;
  --hlc-wait: #f0b44c;
}
@media (prefers-color-scheme: dark) {
  :host([theme="auto"]) {
    color-scheme: dark;
    --hlc-bg: #15181d; --hlc-surface: #1f242b; --hlc-text: #e8eaed; --hlc-muted: #a3acb8;
    --hlc-border: #343b45; --hlc-accent: #7aa2ff; --hlc-accent-text: #0b1020; --hlc-name: #c3cad4;
    --hlc-artist-bg: #3a2f10; --hlc-artist-border: #e2b13c; --hlc-info-bg: #1c2a45;
    --hlc-warning-bg: #3d2e10; --hlc-critical-bg: #4a1c1c; --hlc-danger: #ff8a80; --hlc-ok: #56d37c;
    --hlc-wait: #f0b44c;
  }
}
* { box-sizing: border-box; }
header {
  display: flex; align-items: center; gap: 8px;
  padding: 10px 12px; border-bottom: 1px solid var(--hlc-border); background: var(--hlc-surface);
}
header h2 {
  flex: 1; min-width: 0; margin: 0; font-size: 1em; font-weight: 600;
  overflow: hidden; white-space: nowrap; text-overflow: ellipsis;
}
.status { display: inline-flex; align-items: center; gap: 6px; font-size: .85em; color: var(--hlc-muted); white-space: nowrap; }
.dot { width: 8px; height: 8px; border-radius: 50%; background: var(--hlc-muted); flex: none; }
.status[data-state="live"] .dot { background: var(--hlc-ok); }
.status[data-state="wait"] .dot { background: var(--hlc-wait); }
.status[data-state="down"] .dot { background: var(--hlc-danger); }
.status[data-state="replay"] .dot { background: var(--hlc-accent); }
.banners { display: flex; flex-direction: column; }
.banner {
  display: flex; gap: 8px; align-items: flex-start;
  padding: 8px 12px; border-bottom: 1px solid var(--hlc-border); background: var(--hlc-info-bg);
}
.banner[data-level="warning"] { background: var(--hlc-warning-bg); }
.banner[data-level="critical"] { background: var(--hlc-critical-bg); }
.banner p { flex: 1; margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.banner strong { margin-right: 6px; }
.banner button { background: none; border: none; color: inherit; font: inherit; cursor: pointer; padding: 0 4px; }
.feed { position: relative; flex: 1; min-height: 0; display: flex; }
ol {
  flex: 1; margin: 0; padding: 6px 0; list-style: none; overflow-y: auto; overscroll-behavior: contain;
}
ol:focus-visible { outline: 2px solid var(--hlc-accent); outline-offset: -2px; }
li { padding: 3px 12px; overflow-wrap: anywhere; white-space: pre-wrap; }
li .name { color: var(--hlc-name); font-weight: 600; margin-right: 6px; }
li .at { color: var(--hlc-muted); font-size: .8em; font-variant-numeric: tabular-nums; margin-right: 6px; }
li[data-style] {
  border-left: 3px solid var(--hlc-style-color); padding-left: 9px;
  background: color-mix(in srgb, var(--hlc-style-color) 10%, transparent);
}
li[data-frame="double"] { border-left-style: double; border-left-width: 5px; padding-left: 7px; }
li[data-frame="dashed"] { border-left-style: dashed; }
li.artist {
  margin: 4px 8px; padding: 8px 10px; border-radius: 8px;
  background: var(--hlc-artist-bg); border-left: 4px solid var(--hlc-artist-border);
}
li.artist .badge, li.notice .badge {
  display: inline-block; font-size: .75em; font-weight: 700; padding: 0 6px; margin-right: 6px;
  border-radius: 999px; border: 1px solid currentColor; vertical-align: 1px;
}
li.notice { margin: 4px 8px; padding: 6px 10px; border-radius: 8px; background: var(--hlc-info-bg); }
li.notice[data-level="warning"] { background: var(--hlc-warning-bg); }
li.notice[data-level="critical"] { background: var(--hlc-critical-bg); }
.empty {
  position: absolute; inset: 0; display: grid; place-items: center; margin: 0; padding: 24px;
  color: var(--hlc-muted); text-align: center; pointer-events: none;
}
.empty[hidden] { display: none; }
.jump {
  position: absolute; left: 50%; bottom: 10px; transform: translateX(-50%);
  border: none; border-radius: 999px; padding: 4px 12px; font: inherit; font-size: .85em;
  background: var(--hlc-accent); color: var(--hlc-accent-text); cursor: pointer; box-shadow: 0 2px 6px rgb(0 0 0 / .2);
}
form[hidden] { display: none; }
form { border-top: 1px solid var(--hlc-border); padding: 8px 10px 10px; background: var(--hlc-surface); }
.row { display: flex; gap: 8px; align-items: center; }
input {
  flex: 1; min-width: 0; font: inherit; color: var(--hlc-text); background: var(--hlc-bg);
  border: 1px solid var(--hlc-border); border-radius: 8px; padding: 8px 10px;
}
input:focus-visible, button:focus-visible { outline: 2px solid var(--hlc-accent); outline-offset: 1px; }
input:disabled { opacity: .6; }
button.send {
  font: inherit; font-weight: 600; border: none; border-radius: 8px; padding: 8px 14px;
  background: var(--hlc-accent); color: var(--hlc-accent-text); cursor: pointer;
}
button.send:disabled { opacity: .5; cursor: default; }
.meta { display: flex; justify-content: space-between; gap: 8px; margin-top: 4px; font-size: .8em; color: var(--hlc-muted); min-height: 1.3em; }
.meta .counter[data-over] { color: var(--hlc-danger); font-weight: 600; }
.state { color: var(--hlc-muted); }
.error { color: var(--hlc-danger); }
.visually-hidden {
  position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; border: 0;
}
`;
