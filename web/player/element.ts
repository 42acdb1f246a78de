import {
  createChatClient,
  createReplay,
  type ChatClient,
  type ChatClientError,
  type ConnectionState,
  type FeedItem,
  type MediaLike,
  type PostingState,
  type Replay,
  type TokenProvider,
} from '../../client/index.js';
import { bannerNode, itemNode, playerStyleSheet } from './render.js';
import { formatLeft, formatOffset, pickLang, STRINGS, type Lang, type Strings } from './strings.js';

/** Comments kept on screen: enough to scroll back a little, few enough to stay smooth at 50/s. */
const DEFAULT_MAX_ITEMS = 200;
/** Screen readers hear artist messages and notices, at most one per this interval (never every comment). */
const ANNOUNCE_EVERY_MS = 2_000;

/**
 * `<hybrid-live-chat room="…">`: the embeddable chat player, on the viewer SDK.
 * Attributes: `room` (required), `base-url` (the CDN; default this page's
 * origin), `graphql-url` + `realtime-url` + `api-key` (realtime; without them
 * it polls only), `lang` (`ja` | `en`; default the page's), `theme`
 * (`light` | `dark` | `auto`), `max-items`. Property `tokenProvider`: the
 * host's function returning the viewer's token (without it, read-only).
 *
 * Replay (ADR 0040): `mode="replay"` shows a recorded event's chat in step with the host's media
 * — each item when the media reaches its offset, again after a seek back, at any speed — with no
 * post box. The media is `attachMedia(element)`, or the element `media-selector` names on the page.
 */
export class HybridLiveChatElement extends HTMLElement {
  static readonly observedAttributes = [
    'room',
    'base-url',
    'graphql-url',
    'realtime-url',
    'api-key',
    'lang',
    'mode',
    'media-selector',
  ];

  private provider: TokenProvider | undefined;
  /**
   * Returns the viewer's token from the host service; asked again with `forceRefresh` after a 401.
   * Set it when the viewer signs in (the composer opens), unset it when they sign out.
   */
  get tokenProvider(): TokenProvider | undefined {
    return this.provider;
  }
  set tokenProvider(provider: TokenProvider | undefined) {
    this.provider = provider;
    this.client?.setTokenProvider(provider);
  }
  /** The SDK client behind this player (for hosts that want its events too). */
  client: ChatClient | undefined;
  /** Replay mode: the SDK replay behind this player. */
  replay: Replay | undefined;
  private media: MediaLike | undefined;
  private detachMedia: (() => void) | undefined;

  /** Replay mode: follows this media element (its play, pause, seeks and speed); null stops. */
  attachMedia(media: MediaLike | null): void {
    this.media = media ?? undefined;
    this.detachMedia?.();
    this.detachMedia = this.media && this.replay ? this.replay.attach(this.media) : undefined;
    if (this.replaying) this.updateReplayStatus();
  }

  private get replaying(): boolean {
    return this.getAttribute('mode') === 'replay';
  }

  private readonly root: ShadowRoot;
  private language: Lang = 'en';
  private t: Strings = STRINGS.en;
  private readonly nodes = new Map<string, HTMLLIElement>();
  /** Ids on screen, ascending: the list's order. */
  private order: string[] = [];
  private pending: FeedItem[] = [];
  private flushScheduled = false;
  private unseen = 0;
  private sending = false;
  private countdown: ReturnType<typeof setInterval> | undefined;
  private announceTimer: ReturnType<typeof setTimeout> | undefined;
  private announceQueue: string[] = [];
  private lastAnnounceMs = 0;
  private readonly bannerTimers = new Set<ReturnType<typeof setTimeout>>();
  private restartQueued = false;
  /** The room answered `room_not_found`: said in the list and the status, until it appears. */
  private missingRoom = false;
  private el!: {
    title: HTMLElement;
    status: HTMLElement;
    statusText: HTMLElement;
    banners: HTMLElement;
    list: HTMLOListElement;
    empty: HTMLElement;
    jump: HTMLButtonElement;
    form: HTMLFormElement;
    input: HTMLInputElement;
    send: HTMLButtonElement;
    counter: HTMLElement;
    state: HTMLElement;
    error: HTMLElement;
    announcer: HTMLElement;
  };

  constructor() {
    super();
    this.root = this.attachShadow({ mode: 'open' });
  }

  connectedCallback(): void {
    if (!this.hasAttribute('theme')) this.setAttribute('theme', 'auto');
    this.render();
    // Hosts set `tokenProvider` right after inserting the element: start once they have.
    this.queueRestart();
  }

  disconnectedCallback(): void {
    this.stop();
  }

  attributeChangedCallback(): void {
    if (this.isConnected && this.el) {
      this.render();
      this.queueRestart();
    }
  }

  private queueRestart() {
    if (this.restartQueued) return;
    this.restartQueued = true;
    queueMicrotask(() => {
      this.restartQueued = false;
      if (this.isConnected) this.start();
    });
  }

  private start() {
    this.stop();
    const roomId = this.getAttribute('room');
    if (!roomId)
      return this.showError(this.language === 'ja' ? 'ルームが指定されていません。' : 'No room given.');
    if (this.replaying) return this.startReplay(roomId);
    const graphqlUrl = this.getAttribute('graphql-url');
    const realtimeUrl = this.getAttribute('realtime-url');
    const apiKey = this.getAttribute('api-key');
    const client = createChatClient({
      baseUrl: this.getAttribute('base-url') ?? location.origin,
      roomId,
      ...(graphqlUrl && realtimeUrl && apiKey ? { realtime: { graphqlUrl, realtimeUrl, apiKey } } : {}),
      ...(this.provider ? { getToken: this.provider } : {}),
    });
    this.client = client;
    client.on('comment', (item) => this.enqueue(item));
    client.on('artistMessage', (item) => {
      this.enqueue(item);
      this.announce(this.t.announceArtist(item.displayName, item.text));
    });
    client.on('notice', (item) => {
      this.enqueue(item);
      this.showBanner(item);
      this.announce(this.t.announceNotice(item.text));
    });
    client.on('delete', ({ commentId }) => this.removeItem(commentId));
    client.on('purge', () => this.prune());
    client.on('ban', () => this.prune());
    client.on('settings', (room) => {
      if (this.missingRoom) {
        this.missingRoom = false;
        this.el.empty.textContent = this.t.empty;
      }
      this.el.title.textContent = room.title;
      this.updatePosting(client.posting);
      this.updateStatus(client.connection);
    });
    client.on('posting', (posting) => this.updatePosting(posting));
    client.on('connection', (state) => this.updateStatus(state));
    client.on('error', (error) => {
      // The room may be created later: the client keeps polling (backing off); the viewer is told.
      if (error.code === 'room_not_found' && !this.missingRoom) {
        this.missingRoom = true;
        this.el.empty.textContent = this.t.roomNotFound;
        this.updateStatus(client.connection);
      }
      this.dispatchEvent(new CustomEvent('chat-error', { detail: error }));
    });
    this.updatePosting(client.posting);
    this.updateStatus(client.connection);
    client.start();
  }

  private stop() {
    this.client?.close();
    this.client = undefined;
    this.detachMedia?.();
    this.detachMedia = undefined;
    this.replay?.close();
    this.replay = undefined;
    this.replayState = { waiting: false, ended: false, failed: false };
    this.missingRoom = false;
    clearInterval(this.countdown);
    clearTimeout(this.announceTimer);
    for (const timer of this.bannerTimers) clearTimeout(timer);
    this.bannerTimers.clear();
    this.nodes.clear();
    this.order = [];
    this.pending = [];
    this.unseen = 0;
    if (this.el) {
      this.el.list.replaceChildren();
      this.el.banners.replaceChildren();
      this.el.jump.hidden = true;
      this.el.empty.hidden = false;
    }
  }

  private render() {
    this.language = pickLang(
      this.getAttribute('lang') ?? document.documentElement.lang ?? navigator.language,
    );
    this.t = STRINGS[this.language];
    const t = this.t;
    const previousTitle = this.el?.title.textContent ?? '';
    this.root.adoptedStyleSheets = [playerStyleSheet()];
    this.root.innerHTML = `
      <header><h2></h2><span class="status" role="status"><span class="dot"></span><span class="status-text"></span></span></header>
      <div class="banners"></div>
      <div class="feed" role="log" aria-live="off">
        <ol tabindex="0"></ol>
        <p class="empty"></p>
        <button class="jump" type="button" hidden></button>
      </div>
      <form novalidate>
        <div class="row">
          <input name="text" autocomplete="off" enterkeyhint="send" />
          <button class="send" type="submit"></button>
        </div>
        <div class="meta"><span class="state" aria-live="polite"></span><span class="counter" aria-live="off"></span></div>
        <div class="error" role="alert"></div>
      </form>
      <div class="visually-hidden" aria-live="polite"></div>`;
    const $ = <T extends Element>(selector: string) => this.root.querySelector<T>(selector)!;
    this.el = {
      title: $('h2'),
      status: $('.status'),
      statusText: $('.status-text'),
      banners: $('.banners'),
      list: $('ol'),
      empty: $('.empty'),
      jump: $('.jump'),
      form: $('form'),
      input: $('input'),
      send: $('button.send'),
      counter: $('.counter'),
      state: $('.state'),
      error: $('.error'),
      announcer: $('.visually-hidden'),
    };
    this.el.title.textContent = previousTitle;
    this.el.list.setAttribute('aria-label', t.comments);
    this.el.empty.textContent = this.replaying ? t.replayEmpty : t.empty;
    // Replay shows what was said: nothing to post.
    this.el.form.hidden = this.replaying;
    this.el.input.placeholder = t.placeholder;
    this.el.input.setAttribute('aria-label', t.placeholder);
    this.el.send.textContent = t.send;
    this.el.input.addEventListener('input', () => this.updateComposer());
    this.el.form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.submit();
    });
    this.el.list.addEventListener('scroll', () => {
      if (this.atBottom()) this.clearUnseen();
    });
    this.el.jump.addEventListener('click', () => {
      this.el.list.scrollTop = this.el.list.scrollHeight;
      this.clearUnseen();
    });
    this.updateComposer();
  }

  // ---- the list: batched per frame, bounded, in id order ----

  private enqueue(item: FeedItem) {
    this.pending.push(item);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // A frame when the page paints; a timer when it does not (background tabs pause frames).
    let done = false;
    const flush = () => {
      if (done) return;
      done = true;
      this.flushScheduled = false;
      this.flush();
    };
    requestAnimationFrame(flush);
    setTimeout(flush, 250);
  }

  private flush() {
    const items = this.pending.sort((a, b) => (a.id < b.id ? -1 : 1));
    this.pending = [];
    if (items.length === 0) return;
    const list = this.el.list;
    const stick = this.atBottom();
    const tail = document.createDocumentFragment();
    for (const item of items) {
      if (this.nodes.has(item.id)) continue;
      const node = itemNode(item, this.t);
      if (this.replaying && item.vpos !== undefined) {
        const at = document.createElement('span');
        at.className = 'at';
        at.textContent = formatOffset(item.vpos);
        node.prepend(at);
      }
      this.nodes.set(item.id, node);
      const last = this.order[this.order.length - 1];
      if (last === undefined || last < item.id) {
        this.order.push(item.id);
        tail.append(node);
      } else {
        // Older than the newest shown (a push came first, or a late commit): insert in place.
        list.append(tail);
        const at = this.order.findIndex((id) => id > item.id);
        list.insertBefore(node, this.nodes.get(this.order[at]!)!);
        this.order.splice(at, 0, item.id);
      }
    }
    list.append(tail);
    const max = Number(this.getAttribute('max-items')) || DEFAULT_MAX_ITEMS;
    const excess = this.order.length - max;
    if (excess > 0) {
      for (const id of this.order.splice(0, excess)) {
        this.nodes.get(id)?.remove();
        this.nodes.delete(id);
      }
    }
    this.el.empty.hidden = this.order.length > 0;
    if (stick) list.scrollTop = list.scrollHeight;
    else {
      this.unseen += items.length;
      this.el.jump.hidden = false;
      this.el.jump.textContent = this.t.newComments(this.unseen);
    }
  }

  private removeItem(id: string) {
    const node = this.nodes.get(id);
    this.pending = this.pending.filter((item) => item.id !== id);
    if (!node) return;
    node.remove();
    this.nodes.delete(id);
    this.order.splice(this.order.indexOf(id), 1);
    this.el.empty.hidden = this.order.length > 0;
  }

  /** Drops what the client no longer shows (a purge or a ban hid it). */
  private prune() {
    const kept = new Set(this.client?.items().map((item) => item.id));
    this.pending = this.pending.filter((item) => kept.has(item.id));
    for (const id of [...this.order]) if (!kept.has(id)) this.removeItem(id);
  }

  private atBottom(): boolean {
    const list = this.el.list;
    return list.scrollTop + list.clientHeight >= list.scrollHeight - 24;
  }

  private clearUnseen() {
    this.unseen = 0;
    this.el.jump.hidden = true;
  }

  // ---- banners and announcements ----

  private showBanner(item: FeedItem) {
    const untilMs = item.displayUntil ? Date.parse(item.displayUntil) : NaN;
    if (!(untilMs > Date.now())) return;
    const banner = bannerNode(item, this.t, () => banner.remove());
    this.el.banners.append(banner);
    const timer = setTimeout(() => {
      this.bannerTimers.delete(timer);
      banner.remove();
    }, untilMs - Date.now());
    this.bannerTimers.add(timer);
  }

  private announce(text: string) {
    this.announceQueue.push(text);
    if (this.announceTimer !== undefined) return;
    const speak = () => {
      this.announceTimer = undefined;
      const next = this.announceQueue.shift();
      if (next === undefined) return;
      // Many at once: say the latest and how many more, never a flood.
      const more = this.announceQueue.length;
      this.announceQueue = [];
      this.el.announcer.textContent = more > 0 ? `${next} (+${more})` : next;
      this.lastAnnounceMs = Date.now();
      this.announceTimer = setTimeout(speak, ANNOUNCE_EVERY_MS);
    };
    const wait = this.lastAnnounceMs + ANNOUNCE_EVERY_MS - Date.now();
    this.announceTimer = setTimeout(speak, Math.max(0, wait));
  }

  // ---- replay ----

  private replayState = { waiting: false, ended: false, failed: false };

  private startReplay(roomId: string) {
    const replay = createReplay({ baseUrl: this.getAttribute('base-url') ?? location.origin, roomId });
    this.replay = replay;
    replay.on('room', ({ room }) => {
      this.missingRoom = false;
      this.el.title.textContent = room.title;
      this.el.empty.textContent = this.t.replayEmpty;
      this.updateReplayStatus();
    });
    replay.on('reset', () => {
      this.clearList();
      this.replayState = { ...this.replayState, ended: false };
      this.updateReplayStatus();
    });
    replay.on('items', (items) => {
      this.replayState = { ...this.replayState, failed: false };
      for (const item of items) this.enqueue(item);
      this.updateReplayStatus();
    });
    replay.on('waiting', (waiting) => {
      this.replayState = { ...this.replayState, waiting, ...(waiting ? {} : { failed: false }) };
      this.updateReplayStatus();
    });
    replay.on('ended', () => {
      this.replayState = { ...this.replayState, ended: true };
      this.updateReplayStatus();
    });
    replay.on('error', (error) => {
      if (error.code === 'room_not_found') {
        this.missingRoom = true;
        this.el.empty.textContent = this.t.replayRoomNotFound;
      }
      this.replayState = { ...this.replayState, failed: true };
      this.updateReplayStatus();
      this.dispatchEvent(new CustomEvent('chat-error', { detail: error }));
    });
    replay.start();
    const selector = this.getAttribute('media-selector');
    const media = this.media ?? (selector ? document.querySelector<HTMLMediaElement>(selector) : null);
    this.attachMedia(media);
  }

  private updateReplayStatus() {
    const t = this.t;
    const state = this.replayState;
    const [mode, text] = this.missingRoom
      ? ['down', t.noRoom]
      : !this.media
        ? ['down', t.replayNoMedia]
        : state.failed
          ? ['down', t.degraded]
          : state.waiting
            ? ['wait', t.replayLoading]
            : state.ended
              ? ['replay', t.replayEnded]
              : ['replay', t.replay];
    this.el.status.dataset.state = mode;
    this.el.status.dataset.realtime = 'off';
    this.el.statusText.textContent = text;
  }

  /** Empties the list (a replay's seek): what shows next is what was said around the new position. */
  private clearList() {
    this.nodes.clear();
    this.order = [];
    this.pending = [];
    this.unseen = 0;
    this.el.list.replaceChildren();
    this.el.jump.hidden = true;
    this.el.empty.hidden = false;
  }

  // ---- status, posting and the composer ----

  private updateStatus(state: ConnectionState) {
    const t = this.t;
    const [mode, text] = this.missingRoom
      ? ['down', t.noRoom]
      : state.polling === 'degraded'
        ? ['down', t.degraded]
        : state.realtime === 'reconnecting'
          ? ['wait', t.reconnecting]
          : state.realtime === 'connecting'
            ? ['wait', t.connecting]
            : state.realtime === 'connected'
              ? ['live', t.live]
              : ['live', t.polling(this.client?.room?.settings.pollIntervalSeconds ?? 3)];
    this.el.status.dataset.state = mode;
    this.el.status.dataset.realtime = state.realtime;
    this.el.statusText.textContent = text;
  }

  private updatePosting(posting: PostingState) {
    clearInterval(this.countdown);
    this.countdown = undefined;
    const show = () => (this.el.state.textContent = this.postingText(posting));
    show();
    if (!posting.allowed && posting.until) this.countdown = setInterval(show, 1_000);
    this.updateComposer();
  }

  private postingText(posting: PostingState): string {
    const t = this.t;
    const room = this.client?.room;
    if (posting.allowed) {
      return room && room.settings.slowModeSeconds > 0 ? t.slowModeOn(room.settings.slowModeSeconds) : '';
    }
    const left = posting.until ? formatLeft(Date.parse(posting.until) - Date.now(), this.language) : '';
    switch (posting.reason) {
      case 'signed_out':
        return t.signedOut;
      case 'room_closed':
        return t.roomClosed;
      case 'chat_disabled':
        return t.chatDisabled;
      case 'posting_closed':
        return t.postingClosed;
      case 'banned':
        return posting.until ? t.bannedUntil(this.formatTime(posting.until), left) : t.banned;
      case 'slow_mode':
        return t.slowMode(left);
    }
  }

  private formatTime(iso: string): string {
    const date = new Date(iso);
    const sameDay = date.toDateString() === new Date().toDateString();
    return new Intl.DateTimeFormat(this.language, {
      ...(sameDay ? {} : { month: 'short', day: 'numeric' }),
      hour: '2-digit',
      minute: '2-digit',
    }).format(date);
  }

  private updateComposer() {
    const client = this.client;
    const max = client?.room?.settings.maxCommentLength ?? 200;
    const length = Array.from(this.el.input.value.trim()).length;
    const over = length > max;
    const posting = client?.posting ?? ({ allowed: false, reason: 'signed_out' } as const);
    this.el.counter.textContent = this.t.counter(length, max);
    this.el.counter.toggleAttribute('data-over', over);
    this.el.counter.title = over ? this.t.tooLong(max) : '';
    this.el.input.disabled = !posting.allowed && posting.reason !== 'slow_mode';
    this.el.send.disabled = !posting.allowed || this.sending || length === 0 || over;
    this.el.send.textContent = this.sending ? this.t.sending : this.t.send;
  }

  private async submit() {
    const client = this.client;
    const text = this.el.input.value;
    if (!client || this.el.send.disabled) return;
    this.sending = true;
    this.showError('');
    this.updateComposer();
    try {
      await client.send(text);
      if (this.el.input.value === text) this.el.input.value = '';
      // Sending scrolls to the own comment.
      this.el.list.scrollTop = this.el.list.scrollHeight;
    } catch (error) {
      const e = error as ChatClientError;
      // Refusals the status line explains (slow mode, bans, a closed room) are not repeated as errors.
      const explained = [
        'slow_mode',
        'banned',
        'room_closed',
        'chat_disabled',
        'posting_closed',
        'signed_out',
      ];
      const said = explained.includes(e.code) && !client.posting.allowed;
      this.showError(said ? '' : (this.t.errors[e.code] ?? e.message));
    } finally {
      this.sending = false;
      this.updateComposer();
    }
  }

  private showError(message: string) {
    if (this.el) this.el.error.textContent = message;
  }
}

/** Defines `<hybrid-live-chat>` once (a page may load the player twice). */
export function defineHybridLiveChat(name = 'hybrid-live-chat'): void {
  if (!customElements.get(name)) customElements.define(name, HybridLiveChatElement);
}
