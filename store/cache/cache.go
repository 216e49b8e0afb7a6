// Package cache is the shared cache of aggregated views: Redis when
// configured (so every instance sees the same versions), an in-process map
// otherwise. Views are cache-aside under versioned keys; a write bumps the
// version so the next read on any instance misses and reloads.
package cache

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
	"golang.org/x/sync/singleflight"
)

// Store is the minimal key-value API the views need.
type Store interface {
	Get(ctx context.Context, key string) ([]byte, bool, error)
	Set(ctx context.Context, key string, val []byte, ttl time.Duration) error
	// Incr atomically increments a counter and returns the new value.
	Incr(ctx context.Context, key string) (int64, error)
	// Int reads a counter (0 when absent).
	Int(ctx context.Context, key string) (int64, error)
	Ping(ctx context.Context) error
}

// Redis is a Store on go-redis.
type Redis struct {
	Client *redis.Client
}

// NewRedis connects with short timeouts: a slow Redis must cost a request
// at most about 100 ms before it falls back to the database.
func NewRedis(url string) (*Redis, error) {
	opt, err := redis.ParseURL(url)
	if err != nil {
		return nil, err
	}
	opt.DialTimeout = 100 * time.Millisecond
	opt.ReadTimeout = 100 * time.Millisecond
	opt.WriteTimeout = 100 * time.Millisecond
	opt.PoolTimeout = 100 * time.Millisecond
	opt.ContextTimeoutEnabled = true
	opt.MaxRetries = 0
	opt.PoolSize = 64
	return &Redis{Client: redis.NewClient(opt)}, nil
}

// Get implements Store.
func (r *Redis) Get(ctx context.Context, key string) ([]byte, bool, error) {
	b, err := r.Client.Get(ctx, key).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, false, nil
	} else if err != nil {
		return nil, false, err
	}
	return b, true, nil
}

// Set implements Store.
func (r *Redis) Set(ctx context.Context, key string, val []byte, ttl time.Duration) error {
	return r.Client.Set(ctx, key, val, ttl).Err()
}

// Incr implements Store.
func (r *Redis) Incr(ctx context.Context, key string) (int64, error) {
	return r.Client.Incr(ctx, key).Result()
}

// Int implements Store.
func (r *Redis) Int(ctx context.Context, key string) (int64, error) {
	n, err := r.Client.Get(ctx, key).Int64()
	if errors.Is(err, redis.Nil) {
		return 0, nil
	}
	return n, err
}

// Ping implements Store.
func (r *Redis) Ping(ctx context.Context) error { return r.Client.Ping(ctx).Err() }

// Memory is an in-process Store for a single instance.
type Memory struct {
	mu sync.Mutex
	m  map[string]memEntry
}

type memEntry struct {
	val     []byte
	n       int64
	expires time.Time
}

// NewMemory returns an empty in-process store.
func NewMemory() *Memory { return &Memory{m: map[string]memEntry{}} }

// Get implements Store.
func (m *Memory) Get(_ context.Context, key string) ([]byte, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.m[key]
	if !ok || (!e.expires.IsZero() && time.Now().After(e.expires)) {
		delete(m.m, key)
		return nil, false, nil
	}
	return e.val, true, nil
}

// Set implements Store.
func (m *Memory) Set(_ context.Context, key string, val []byte, ttl time.Duration) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	e := memEntry{val: val}
	if ttl > 0 {
		e.expires = time.Now().Add(ttl)
	}
	if len(m.m) > 10000 {
		// A crude bound: versioned keys of old versions are garbage.
		for k, v := range m.m {
			if v.val != nil {
				delete(m.m, k)
			}
		}
	}
	m.m[key] = e
	return nil
}

// Incr implements Store.
func (m *Memory) Incr(_ context.Context, key string) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e := m.m[key]
	e.n++
	m.m[key] = e
	return e.n, nil
}

// Int implements Store.
func (m *Memory) Int(_ context.Context, key string) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.m[key].n, nil
}

// Ping implements Store.
func (m *Memory) Ping(context.Context) error { return nil }

// Stats counts cache outcomes for the metrics endpoint.
type Stats struct {
	Hits, Misses, Errors, Fallbacks, Loads atomic.Int64
}

// Views caches rendered views under versioned keys with singleflight
// stampede protection and a database fallback when the store fails.
type Views struct {
	Store Store
	TTL   time.Duration
	Stats Stats
	sf    singleflight.Group
	// down is the time until which the store is skipped after an error, so
	// a dead Redis costs one timeout per second, not one per request.
	down atomic.Int64
}

// NewViews returns views over store.
func NewViews(store Store) *Views { return &Views{Store: store, TTL: 10 * time.Minute} }

// VersionKey is the counter of a tenant's views of one campaign.
func VersionKey(tenantID, campaignID int64) string {
	return "t:" + strconv.FormatInt(tenantID, 10) + ":cmp:" + strconv.FormatInt(campaignID, 10) + ":ver"
}

// Key is the cache key of one view at one version; it starts with the
// tenant so keys of two provinces can never collide.
func Key(tenantID, campaignID int64, period, scope string, version int64) string {
	return "t:" + strconv.FormatInt(tenantID, 10) + ":cmp:" + strconv.FormatInt(campaignID, 10) + ":" + period + ":" + scope + ":v" + strconv.FormatInt(version, 10)
}

func (v *Views) available() bool {
	return time.Now().UnixNano() >= v.down.Load()
}

func (v *Views) failed() {
	v.Stats.Errors.Add(1)
	v.down.Store(time.Now().Add(time.Second).UnixNano())
}

// Bump invalidates every view of a tenant's campaign. It is called after
// the write commits; a failure is counted and the views expire by TTL.
func (v *Views) Bump(ctx context.Context, tenantID, campaignID int64) {
	if _, err := v.Store.Incr(ctx, VersionKey(tenantID, campaignID)); err != nil {
		v.failed()
	}
}

// Get returns the view named by (tenant, campaign, period, scope), loading
// it with load on a miss. Concurrent misses of one key share one load. When
// the store is unreachable the view is loaded from the database directly.
func (v *Views) Get(ctx context.Context, tenantID, campaignID int64, period, scope string, load func(ctx context.Context) ([]byte, error)) ([]byte, error) {
	if !v.available() {
		v.Stats.Fallbacks.Add(1)
		return v.load(ctx, "fallback:"+strconv.FormatInt(tenantID, 10)+":"+strconv.FormatInt(campaignID, 10)+":"+period+":"+scope, load)
	}
	ver, err := v.Store.Int(ctx, VersionKey(tenantID, campaignID))
	if err != nil {
		v.failed()
		v.Stats.Fallbacks.Add(1)
		return v.load(ctx, "fallback:"+strconv.FormatInt(tenantID, 10)+":"+strconv.FormatInt(campaignID, 10)+":"+period+":"+scope, load)
	}
	key := Key(tenantID, campaignID, period, scope, ver)
	if b, ok, err := v.Store.Get(ctx, key); err == nil && ok {
		v.Stats.Hits.Add(1)
		return b, nil
	} else if err != nil {
		v.failed()
		v.Stats.Fallbacks.Add(1)
		return v.load(ctx, key, load)
	}
	v.Stats.Misses.Add(1)
	b, err := v.load(ctx, key, func(ctx context.Context) ([]byte, error) {
		b, err := load(ctx)
		if err != nil {
			return nil, err
		}
		if err := v.Store.Set(ctx, key, b, v.TTL); err != nil {
			v.failed()
		}
		return b, nil
	})
	return b, err
}

func (v *Views) load(ctx context.Context, key string, load func(ctx context.Context) ([]byte, error)) ([]byte, error) {
	res, err, _ := v.sf.Do(key, func() (any, error) {
		v.Stats.Loads.Add(1)
		// The shared load must not die with the first caller's request.
		lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		return load(lctx)
	})
	if err != nil {
		return nil, err
	}
	return res.([]byte), nil
}
