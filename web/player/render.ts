import { commentStyle, type FeedItem } from '../../client/index.js';
import { PLAYER_CSS } from './styles.js';
import type { Strings } from './strings.js';

/**
 * How the player draws a feed item and a notice's banner: shared by the player and by the admin
 * console's previews (an artist's message, a notice), so a preview is the player's own markup under
 * the player's own stylesheet, never a look-alike that drifts.
 */

let sheet: CSSStyleSheet | undefined;
/**
 * One constructed stylesheet shared by every player (and preview) on the page. Constructed, not a
 * `<style>` element: a host page's (or our own) CSP `style-src 'self'` does not apply to it.
 */
export function playerStyleSheet(): CSSStyleSheet {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(PLAYER_CSS);
  }
  return sheet;
}

/** A feed item as a list entry: a comment (with its decoration), an artist's message or a notice. */
export function itemNode(item: FeedItem, t: Strings): HTMLLIElement {
  const li = document.createElement('li');
  li.dataset.id = item.id;
  li.dataset.user = item.userId;
  if (item.kind === 'artist_message' || item.kind === 'notice') {
    li.className = item.kind === 'notice' ? 'notice' : 'artist';
    const badge = document.createElement('span');
    badge.className = 'badge';
    badge.textContent = item.kind === 'notice' ? t.notice : t.artist;
    li.append(badge);
    if (item.level) li.dataset.level = item.level;
  }
  const style = commentStyle(item.style);
  if (style) {
    // The palette's colour draws the frame and a light tint; the name and text keep the theme's
    // colours: a palette colour reaches 4:1 on both themes, short of the 4.5:1 small text
    // needs (ADR 0024). Set through the CSSOM, which a CSP without 'unsafe-inline' allows.
    li.dataset.style = item.style;
    li.dataset.frame = style.frame;
    li.style.setProperty('--hlc-style-color', style.color);
  }
  if (item.kind !== 'notice') {
    const name = document.createElement('span');
    name.className = 'name';
    name.textContent = item.displayName;
    li.append(name);
  }
  const text = document.createElement('span');
  text.className = 'text';
  text.textContent = item.text;
  li.append(text);
  return li;
}

/** A notice's banner above the feed; `onDismiss` runs when the viewer closes it. */
export function bannerNode(item: FeedItem, t: Strings, onDismiss: () => void): HTMLDivElement {
  const banner = document.createElement('div');
  banner.className = 'banner';
  banner.dataset.id = item.id;
  banner.dataset.level = item.level ?? 'info';
  banner.setAttribute('role', item.level === 'critical' ? 'alert' : 'note');
  const p = document.createElement('p');
  const label = document.createElement('strong');
  label.textContent = t.notice;
  p.append(label, item.text);
  const close = document.createElement('button');
  close.type = 'button';
  close.textContent = '×';
  close.setAttribute('aria-label', t.dismiss);
  close.addEventListener('click', onDismiss);
  banner.append(p, close);
  return banner;
}
