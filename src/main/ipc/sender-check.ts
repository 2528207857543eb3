/** The origin the app's own pages are served from (a custom protocol, never file://). */
export const appOrigin = 'app://proxdesk';

/** The parts of a frame the sender check reads. */
export interface SenderFrame {
  url: string;
  /** The parent frame; null for a window's top frame. */
  parent: unknown;
}

/**
 * Whether an IPC message comes from the app's own top-level page. The origin is compared
 * exactly: `app://proxdesk.evil` or a page that navigated elsewhere is refused.
 */
export function isTrustedSender(
  frame: SenderFrame | null | undefined,
  origin = appOrigin,
): boolean {
  if (!frame || frame.parent !== null) return false;
  let url: URL;
  try {
    url = new URL(frame.url);
  } catch {
    return false;
  }
  return `${url.protocol}//${url.host}` === origin;
}
