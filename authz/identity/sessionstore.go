package identity

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/uptrace/bun"
)

// SessionStore keeps scs web sessions in our database (table web_sessions)
// so that several instances share them without another service.
type SessionStore struct {
	DB *bun.DB
}

type webSession struct {
	bun.BaseModel `bun:"table:web_sessions"`

	Token  string    `bun:"token,pk"`
	Data   []byte    `bun:"data,notnull"`
	Expiry time.Time `bun:"expiry,notnull"`
}

// Find implements scs.Store.
func (s *SessionStore) Find(token string) ([]byte, bool, error) {
	return s.FindCtx(context.Background(), token)
}

// FindCtx implements scs.CtxStore.
func (s *SessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	ws := new(webSession)
	err := s.DB.NewSelect().Model(ws).Where("token = ? AND expiry > ?", HashToken(token), time.Now().UTC()).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	} else if err != nil {
		return nil, false, err
	}
	return ws.Data, true, nil
}

// Commit implements scs.Store.
func (s *SessionStore) Commit(token string, b []byte, expiry time.Time) error {
	return s.CommitCtx(context.Background(), token, b, expiry)
}

// CommitCtx implements scs.CtxStore. The session token is stored hashed,
// like API tokens, so a database dump cannot be replayed as cookies.
func (s *SessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	ws := &webSession{Token: HashToken(token), Data: b, Expiry: expiry.UTC()}
	_, err := s.DB.NewInsert().Model(ws).On("CONFLICT (token) DO UPDATE").Set("data = EXCLUDED.data, expiry = EXCLUDED.expiry").Exec(ctx)
	return err
}

// Delete implements scs.Store.
func (s *SessionStore) Delete(token string) error {
	return s.DeleteCtx(context.Background(), token)
}

// DeleteCtx implements scs.CtxStore.
func (s *SessionStore) DeleteCtx(ctx context.Context, token string) error {
	_, err := s.DB.NewDelete().Model((*webSession)(nil)).Where("token = ?", HashToken(token)).Exec(ctx)
	return err
}

// DeleteExpired removes expired sessions; call it now and then.
func (s *SessionStore) DeleteExpired(ctx context.Context) error {
	_, err := s.DB.NewDelete().Model((*webSession)(nil)).Where("expiry <= ?", time.Now().UTC()).Exec(ctx)
	return err
}
