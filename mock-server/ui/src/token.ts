const storageKey = 'fold-sessions-control-token';

/**
 * The control token: from the URL fragment (`#token=...`, as the server prints it), kept for this
 * tab in sessionStorage, and taken out of the address bar so that it is not bookmarked or shared.
 */
export function readToken(): string | undefined {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const given = fragment.get('token');
  if (given) {
    sessionStorage.setItem(storageKey, given);
    history.replaceState(null, '', location.pathname + location.search);
    return given;
  }
  return sessionStorage.getItem(storageKey) ?? undefined;
}

export function saveToken(token: string): void {
  sessionStorage.setItem(storageKey, token);
}

export function forgetToken(): void {
  sessionStorage.removeItem(storageKey);
}
