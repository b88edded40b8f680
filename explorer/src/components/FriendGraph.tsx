import { href } from '../hooks';
import type { FriendAttention } from '../queries';

const SIZE = 420;
const R = 160;

const label = (s: string) => (s.length > 14 ? `${s.slice(0, 13)}…` : s);

/**
 * The user in the middle, friends on a circle. One arrow per direction: user → friend (the user's
 * attention) and friend → user; its width grows with the attention, solid green where the model's
 * attention filter kept the edge, dashed grey where it filtered it out, dotted where the active model
 * has no attention for it.
 */
export function FriendGraph({ userId, friends }: { userId: string; friends: FriendAttention[] }) {
  const c = SIZE / 2;
  const n = Math.max(friends.length, 1);
  const edge = (w: number | null, kept: boolean | null) => ({
    stroke: w === null ? '#9ca3af' : kept ? '#16a34a' : '#9ca3af',
    strokeWidth: w === null ? 1 : 1 + 6 * Math.max(0, Math.min(1, w)),
    strokeDasharray: w === null ? '2 4' : kept ? undefined : '6 4',
  });
  return (
    <svg
      viewBox={`0 0 ${SIZE} ${SIZE}`}
      width={SIZE}
      height={SIZE}
      className="graph"
      data-testid="friend-graph"
      role="img"
      aria-label="friends by attention"
    >
      <defs>
        {/* a fixed-size head (userSpaceOnUse): it must not grow with the line's width */}
        <marker
          id="arrow"
          viewBox="0 0 10 10"
          refX="10"
          refY="5"
          markerWidth="9"
          markerHeight="9"
          markerUnits="userSpaceOnUse"
          orient="auto-start-reverse"
        >
          <path d="M 0 0 L 10 5 L 0 10 z" fill="#374151" />
        </marker>
      </defs>
      {friends.map((f, i) => {
        const a = (2 * Math.PI * i) / n - Math.PI / 2;
        const [x, y] = [c + R * Math.cos(a), c + R * Math.sin(a)];
        // the two directions side by side, offset across the line
        const [ox, oy] = [-Math.sin(a) * 4, Math.cos(a) * 4];
        const shorten = (t: number) => [c + (x - c) * t, c + (y - c) * t];
        const [x0, y0] = shorten(0.12);
        const [x1, y1] = shorten(0.88);
        return (
          <g key={f.id} data-testid="friend-edge" data-kept={String(f.kept)} data-kept-back={String(f.keptBack)}>
            <line x1={x0 + ox} y1={y0 + oy} x2={x1 + ox} y2={y1 + oy} markerEnd="url(#arrow)" {...edge(f.attention, f.kept)}>
              <title>{`${userId} → ${f.user.id}: attention ${f.attention ?? 'none'}${f.kept === false ? ' (filtered out)' : ''}`}</title>
            </line>
            <line x1={x1 - ox} y1={y1 - oy} x2={x0 - ox} y2={y0 - oy} markerEnd="url(#arrow)" {...edge(f.attentionBack, f.keptBack)}>
              <title>{`${f.user.id} → ${userId}: attention ${f.attentionBack ?? 'none'}${f.keptBack === false ? ' (filtered out)' : ''}`}</title>
            </line>
            <a href={href('users', f.user.id)}>
              <circle cx={x} cy={y} r={9} fill={f.kept ? '#bbf7d0' : '#e5e7eb'} stroke="#374151" />
              <text x={x} y={y + (y > c ? 22 : -14)} textAnchor="middle" fontSize="11">
                {label(f.user.name ?? f.user.id)}
              </text>
            </a>
          </g>
        );
      })}
      <circle cx={c} cy={c} r={16} fill="#bfdbfe" stroke="#1e3a8a" />
      <text x={c} y={c + 32} textAnchor="middle" fontSize="12" fontWeight="bold">
        {label(userId)}
      </text>
    </svg>
  );
}
