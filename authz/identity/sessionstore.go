package identity

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/uptrace/bun"
)

// Keys of the web session's values that this package reads.
const (
	// SessionUserKey holds the signed-in user's id (int64).
	SessionUserKey = "user_id"
	// SessionEpochKey holds the user's session epoch at sign-in (int64).
	SessionEpochKey = "session_epoch"
)

// SessionStore keeps scs web sessions in our database (table web_sessions)
// so that several instances share them without another service. Each row
// names its user, so that a change of the user's password, status or roles
// deletes them all (Service.UpdateUser); the session epoch stops a request
// already in flight from bringing one back.
type SessionStore struct {
	DB *bun.DB
}

type webSession struct {
	bun.BaseModel `bun:"table:web_sessions"`

	Token  string    `bun:"token,pk"`
	Data   []byte    `bun:"data,notnull"`
	Expiry time.Time `bun:"expiry,notnull"`
	UserID *int64    `bun:"user_id"`
}

// sessionUser reads the user id out of a session encoded by scs's default
// codec (the one newSessions uses); nil before sign-in.
func sessionUser(b []byte) *int64 {
	_, values, err := scs.GobCodec{}.Decode(b)
	if err != nil {
		return nil
	}
	if id, ok := values[SessionUserKey].(int64); ok && id != 0 {
		return &id
	}
	return nil
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
	ws := &webSession{Token: HashToken(token), Data: b, Expiry: expiry.UTC(), UserID: sessionUser(b)}
	_, err := s.DB.NewInsert().Model(ws).On("CONFLICT (token) DO UPDATE").Set("data = EXCLUDED.data, expiry = EXCLUDED.expiry, user_id = EXCLUDED.user_id").Exec(ctx)
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

// deleteUserSessions removes every stored web session of a user.
func deleteUserSessions(ctx context.Context, db bun.IDB, userID int64) error {
	_, err := db.NewDelete().Model((*webSession)(nil)).Where("user_id = ?", userID).Exec(ctx)
	return err
}

// DeleteExpired removes expired sessions; call it now and then.
func (s *SessionStore) DeleteExpired(ctx context.Context) error {
	_, err := s.DB.NewDelete().Model((*webSession)(nil)).Where("expiry <= ?", time.Now().UTC()).Exec(ctx)
	return err
}
