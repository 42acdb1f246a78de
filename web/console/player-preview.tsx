import { useEffect, useRef } from 'preact/hooks';
import type { FeedItem } from '../../client/index.js';
import { bannerNode, itemNode, playerStyleSheet } from '../player/render.js';
import { STRINGS, type Lang } from '../player/strings.js';

/**
 * How players will show an item: the player's own renderer (web/player/render.ts) under the
 * player's own stylesheet, in a shadow root as in the player, so the preview cannot drift from it.
 * A notice with a display time shows its banner above the feed, as players do.
 */
export function PlayerPreview({
  item,
  title,
  lang,
  label,
}: {
  /** Undefined: nothing to show yet (the preview says so). */
  item: FeedItem | undefined;
  title: string;
  lang: Lang;
  /** What the preview is, for screen readers. */
  label: string;
}) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = host.current!;
    const root = element.shadowRoot ?? element.attachShadow({ mode: 'open' });
    root.adoptedStyleSheets = [playerStyleSheet()];
    const t = STRINGS[lang];
    const header = document.createElement('header');
    const h = document.createElement('h2');
    h.textContent = title;
    header.append(h);
    const banners = document.createElement('div');
    banners.className = 'banners';
    const feed = document.createElement('div');
    feed.className = 'feed';
    const list = document.createElement('ol');
    list.setAttribute('aria-label', label);
    feed.append(list);
    if (item) {
      list.append(itemNode(item, t));
      if (item.kind === 'notice' && item.displayUntil) {
        const banner = bannerNode(item, t, () => banner.remove());
        banners.append(banner);
      }
    } else {
      const empty = document.createElement('p');
      empty.className = 'empty';
      empty.textContent = 'Type a message to see it here.';
      feed.append(empty);
    }
    root.replaceChildren(header, banners, feed);
  }, [item, title, lang, label]);
  return <div class="player-preview" ref={host} {...{ theme: 'auto', lang }} />;
}
