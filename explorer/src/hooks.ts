import { useCallback, useEffect, useState } from 'react';
import { gql } from './api';

export interface Loaded<T> {
  data: T | null;
  error: Error | null;
  loading: boolean;
  reload: () => void;
}

/** One GraphQL query, run again when its variables change or on reload(). */
export function useQuery<T>(query: string, variables: Record<string, unknown>, skip = false): Loaded<T> {
  const [state, setState] = useState<{ data: T | null; error: Error | null; loading: boolean }>({
    data: null,
    error: null,
    loading: !skip,
  });
  const [tick, setTick] = useState(0);
  const key = JSON.stringify(variables);
  useEffect(() => {
    if (skip) return;
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    gql<T>(query, JSON.parse(key) as Record<string, unknown>).then(
      (data) => live && setState({ data, error: null, loading: false }),
      (error: Error) => live && setState({ data: null, error, loading: false }),
    );
    return () => {
      live = false;
    };
  }, [query, key, tick, skip]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}

/** The route after `#`: `/users/lastfm:u2` → ['users', 'lastfm:u2']. */
export function useRoute(): string[] {
  const read = () =>
    (location.hash.replace(/^#\/?/, '') || 'models')
      .split('/')
      .filter(Boolean)
      .map((s) => decodeURIComponent(s));
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const on = () => setRoute(read());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}

export const href = (...parts: string[]): string => `#/${parts.map(encodeURIComponent).join('/')}`;
export const fmt = (v: number | null | undefined, digits = 4): string => (typeof v === 'number' ? v.toFixed(digits) : '–');
