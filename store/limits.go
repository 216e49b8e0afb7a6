package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Limits bound how long PostgreSQL may keep a caller waiting. Zero fields
// leave the driver's default (no limit).
type Limits struct {
	// ConnectTimeout bounds dialling and authenticating one connection
	// (pgx's connect_timeout, whole seconds, at least 1).
	ConnectTimeout time.Duration
	// StatementTimeout is PostgreSQL's statement_timeout for every
	// connection: the server cancels a statement running longer.
	StatementTimeout time.Duration
}

// apply adds the limits to a postgres:// URL unless the URL sets them.
func (l Limits) apply(dsn string) string {
	if l.ConnectTimeout <= 0 && l.StatementTimeout <= 0 {
		return dsn
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn
	}
	q := u.Query()
	if l.ConnectTimeout > 0 && q.Get("connect_timeout") == "" {
		secs := int(l.ConnectTimeout.Round(time.Second) / time.Second)
		q.Set("connect_timeout", strconv.Itoa(max(secs, 1)))
	}
	if l.StatementTimeout > 0 && q.Get("statement_timeout") == "" {
		q.Set("statement_timeout", strconv.FormatInt(l.StatementTimeout.Milliseconds(), 10))
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// IsUnavailable reports whether err means the database could not be
// reached or did not answer in time (refused or broken connections, a
// failed connect, a timeout, PostgreSQL shutting down or cancelling the
// statement, SQLite busy), as opposed to an error in the query or data.
// Such a request may succeed when retried later: the API answers 503.
func IsUnavailable(err error) bool {
	if err == nil {
		return false
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case strings.HasPrefix(pe.Code, "08"): // connection exception
			return true
		case pe.Code == "57014", // query_canceled: statement_timeout
			pe.Code == "57P01", pe.Code == "57P02", pe.Code == "57P03", // shutting down, crashed, not yet accepting
			pe.Code == "53300", // too_many_connections
			pe.Code == "55P03": // lock_not_available: lock_timeout
			return true
		}
		return false
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff { // the primary code of an extended one
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			return true
		}
		return false
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	switch {
	case errors.As(err, &ce), pgconn.Timeout(err), errors.As(err, &ne):
		return true
	case errors.Is(err, driver.ErrBadConn), errors.Is(err, sql.ErrConnDone),
		errors.Is(err, context.DeadlineExceeded), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return true
	}
	// pgx reports a connection closed under a query as plain text.
	msg := err.Error()
	return strings.Contains(msg, "conn closed") || strings.Contains(msg, "unexpected EOF")
}
