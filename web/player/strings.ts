/** The player's words, in English and Japanese. Server refusals are shown by code, in the viewer's language. */
export const STRINGS = {
  en: {
    comments: 'Comments',
    placeholder: 'Say something…',
    send: 'Send',
    sending: 'Sending…',
    counter: (n: number, max: number) => `${n} / ${max}`,
    tooLong: (max: number) => `At most ${max} characters.`,
    artist: 'Artist',
    notice: 'Notice',
    dismiss: 'Dismiss',
    newComments: (n: number) => `${n} new ↓`,
    empty: 'No comments yet. Be the first!',
    live: 'Live',
    polling: (s: number) => `Updates every ${s} s`,
    reconnecting: 'Reconnecting…',
    connecting: 'Connecting…',
    degraded: 'Connection problem — retrying',
    noRoom: 'No such room',
    roomNotFound: 'This chat room does not exist. Check the link, or wait until the stream’s chat opens.',
    signedOut: 'Sign in to comment.',
    roomClosed: 'This room is closed to new comments.',
    chatDisabled: 'Chat is turned off.',
    postingClosed: 'Posting is paused for now; you can still read.',
    banned: 'You cannot comment in this room.',
    bannedUntil: (time: string, left: string) => `You cannot comment until ${time} (${left}).`,
    slowMode: (left: string) => `Slow mode: you can comment again in ${left}.`,
    slowModeOn: (s: number) => `Slow mode: one comment every ${s} s`,
    announceArtist: (name: string, text: string) => `${name}: ${text}`,
    announceNotice: (text: string) => `Notice: ${text}`,
    replay: 'Replay',
    replayEmpty: 'No comments at this point.',
    replayLoading: 'Loading comments…',
    replayEnded: 'End of the recorded chat',
    replayNoMedia: 'No video to follow: the page gave the player none.',
    replayRoomNotFound: 'This chat room does not exist. Check the link.',
    errors: {
      network: 'Could not reach the chat. Check your connection and try again.',
      text_too_long: 'Your comment is too long.',
      empty_text: 'Write something first.',
      ng_word: 'Your comment contains a word that is not allowed.',
      invalid_characters: 'Your comment contains characters that cannot be posted.',
      unauthorized: 'Your sign-in has expired. Reload the page to sign in again.',
      invalid_display_name:
        'Your display name cannot be shown in chat. Change it in your account settings, then reload the page.',
      blocked: 'The broadcaster has blocked you from commenting.',
      banned: 'You cannot comment in this room.',
      room_closed: 'This room is closed to new comments.',
      chat_disabled: 'Chat is turned off.',
      posting_closed: 'Posting is paused for now; you can still read.',
    } as Record<string, string>,
  },
  ja: {
    comments: 'コメント',
    placeholder: 'コメントする…',
    send: '送信',
    sending: '送信中…',
    counter: (n: number, max: number) => `${n} / ${max}`,
    tooLong: (max: number) => `${max}文字までです。`,
    artist: 'アーティスト',
    notice: 'お知らせ',
    dismiss: '閉じる',
    newComments: (n: number) => `新着 ${n} 件 ↓`,
    empty: 'まだコメントはありません。最初のコメントをどうぞ！',
    live: 'ライブ',
    polling: (s: number) => `${s}秒ごとに更新`,
    reconnecting: '再接続中…',
    connecting: '接続中…',
    degraded: '接続に問題があります。再試行しています',
    noRoom: 'ルームがありません',
    roomNotFound:
      'このチャットルームは見つかりません。リンクを確認するか、チャットの開始までお待ちください。',
    signedOut: 'コメントするにはログインしてください。',
    roomClosed: 'このルームは新しいコメントを受け付けていません。',
    chatDisabled: 'チャットはオフになっています。',
    postingClosed: '現在コメントは停止中です。閲覧はできます。',
    banned: 'このルームではコメントできません。',
    bannedUntil: (time: string, left: string) => `${time}までコメントできません（残り${left}）。`,
    slowMode: (left: string) => `低速モード：あと${left}でコメントできます。`,
    slowModeOn: (s: number) => `低速モード：${s}秒に1回`,
    announceArtist: (name: string, text: string) => `${name}：${text}`,
    announceNotice: (text: string) => `お知らせ：${text}`,
    replay: 'リプレイ',
    replayEmpty: 'この時点のコメントはありません。',
    replayLoading: 'コメントを読み込み中…',
    replayEnded: '記録されたチャットはここまでです',
    replayNoMedia: '連動する動画がありません。',
    replayRoomNotFound: 'このチャットルームは見つかりません。リンクを確認してください。',
    errors: {
      network: 'チャットに接続できませんでした。通信環境を確認して、もう一度お試しください。',
      text_too_long: 'コメントが長すぎます。',
      empty_text: 'コメントを入力してください。',
      ng_word: '使用できない言葉が含まれています。',
      invalid_characters: '送信できない文字が含まれています。',
      unauthorized: 'ログインの有効期限が切れました。ページを再読み込みしてください。',
      invalid_display_name:
        'この表示名はチャットに表示できません。アカウント設定で表示名を変更してから、ページを再読み込みしてください。',
      blocked: '配信者によってコメントがブロックされています。',
      banned: 'このルームではコメントできません。',
      room_closed: 'このルームは新しいコメントを受け付けていません。',
      chat_disabled: 'チャットはオフになっています。',
      posting_closed: '現在コメントは停止中です。閲覧はできます。',
    } as Record<string, string>,
  },
};

export type Lang = keyof typeof STRINGS;
export type Strings = (typeof STRINGS)[Lang];

/** `ja` for Japanese, English otherwise. */
export function pickLang(requested: string | null | undefined): Lang {
  return (requested ?? '').toLowerCase().startsWith('ja') ? 'ja' : 'en';
}

/** "1:05" or "45 s" / "45秒". */
export function formatLeft(ms: number, lang: Lang): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  if (s < 60) return lang === 'ja' ? `${s}秒` : `${s} s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${r}` : `${m}:${r}`;
}

/** A replayed item's offset (vpos, hundredths of a second) as media players show time: "1:05", "1:02:03", "-0:04". */
export function formatOffset(vpos: number): string {
  // Before the start, a part-second counts as a whole one ("-0:01", never "-0:00").
  const s = vpos < 0 ? Math.ceil(-vpos / 100) : Math.floor(vpos / 100);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = String(s % 60).padStart(2, '0');
  const text = h > 0 ? `${h}:${String(m).padStart(2, '0')}:${r}` : `${m}:${r}`;
  return vpos < 0 ? `-${text}` : text;
}
