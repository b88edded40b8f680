import { useEffect, useState, type FormEvent } from 'react';
import { adminToken, gql } from './api';
import { href, useRoute } from './hooks';
import { ItemPage } from './pages/Item';
import { ModelsPage } from './pages/Models';
import { RunPage } from './pages/Run';
import { RunsPage } from './pages/Runs';
import { UserPage } from './pages/User';
import { ADMIN_CHECK } from './queries';

function SignIn() {
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const token = value.trim();
    if (!token) return;
    setError(null);
    try {
      await gql(ADMIN_CHECK, {}, token);
      adminToken.set(token);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <form className="signin" onSubmit={submit} data-testid="signin">
      <h1>TasteGraph explorer</h1>
      <p>The explorer reads and changes the registry and the graph: it needs the API's admin token (ADMIN_TOKEN).</p>
      <input
        type="password"
        placeholder="admin token"
        value={value}
        onChange={(e) => setValue(e.target.value)}
        aria-label="admin token"
        autoFocus
      />
      <button type="submit">Sign in</button>
      {error && (
        <p className="error" data-testid="signin-error">
          {error}
        </p>
      )}
    </form>
  );
}

function Nav() {
  const [user, setUser] = useState('');
  const [item, setItem] = useState('');
  const go = (e: FormEvent, kind: string, id: string) => {
    e.preventDefault();
    if (id.trim()) location.hash = href(kind, id.trim());
  };
  return (
    <nav>
      <strong>TasteGraph</strong>
      <a href={href('models')}>Models</a>
      <a href={href('runs')}>Runs</a>
      <form onSubmit={(e) => go(e, 'users', user)}>
        <input placeholder="user id" value={user} onChange={(e) => setUser(e.target.value)} aria-label="user id" />
      </form>
      <form onSubmit={(e) => go(e, 'items', item)}>
        <input placeholder="item id" value={item} onChange={(e) => setItem(e.target.value)} aria-label="item id" />
      </form>
      <button className="link" onClick={() => adminToken.set(null)}>
        Sign out
      </button>
    </nav>
  );
}

export function App() {
  const [token, setToken] = useState(adminToken.get());
  useEffect(() => adminToken.onChange(setToken), []);
  const [page, id] = useRoute();
  if (!token) return <SignIn />;
  return (
    <>
      <Nav />
      <main>
        {page === 'runs' && id ? (
          <RunPage key={id} id={id} />
        ) : page === 'runs' ? (
          <RunsPage />
        ) : page === 'users' && id ? (
          <UserPage key={id} id={id} />
        ) : page === 'items' && id ? (
          <ItemPage key={id} id={id} />
        ) : (
          <ModelsPage />
        )}
      </main>
    </>
  );
}
