package identity

import (
	"context"
	"sync"
	"time"
)

// Versions is a shared counter store (Redis across instances, a map in a
// single process). The cache package's stores satisfy it.
type Versions interface {
	Int(ctx context.Context, key string) (int64, error)
	Incr(ctx context.Context, key string) (int64, error)
}

// authVersionKey counts sign-in changes (logout, disable, password, roles):
// every change bumps it, so every instance drops its cached tokens on the
// next request.
const authVersionKey = "auth:ver"

// tokenCacheTTL bounds how long a cached token is trusted even when the
// version store is unchanged (for example while it was unreachable at the
// moment of a bump).
const tokenCacheTTL = 10 * time.Second

const tokenCacheMax = 50000

// tokenCache remembers the user behind a token hash for one auth version,
// so that the API does not query the database on every request.
type tokenCache struct {
	mu sync.Mutex
	m  map[string]tokenEntry
}

type tokenEntry struct {
	user    User
	version int64
	expires time.Time
}

func (c *tokenCache) get(hash string, version int64, now time.Time) (User, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[hash]
	if !ok || e.version != version || now.After(e.expires) {
		return User{}, false
	}
	return e.user, true
}

func (c *tokenCache) put(hash string, u User, version int64, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= tokenCacheMax {
		c.m = map[string]tokenEntry{}
	}
	c.m[hash] = tokenEntry{user: u, version: version, expires: now.Add(tokenCacheTTL)}
}

func (c *tokenCache) clear() {
	c.mu.Lock()
	c.m = nil
	c.mu.Unlock()
}

// authChanged drops cached tokens here and, through the shared version,
// on every other instance. It runs after the change has committed.
func (s *Service) authChanged(ctx context.Context) {
	s.tokens.clear()
	if s.Versions != nil {
		s.Versions.Incr(context.WithoutCancel(ctx), authVersionKey)
	}
}
