package domain

import (
	"errors"
	"fmt"
)

// Error codes: a small fixed set that the API maps to HTTP status codes.
const (
	EINVALID         = "invalid"
	EUNAUTHENTICATED = "unauthenticated"
	EFORBIDDEN       = "forbidden"
	ENOTFOUND        = "not_found"
	ECONFLICT        = "conflict"
	EUNPROCESSABLE   = "unprocessable"
	ETOOMANY         = "too_many_requests"
	EINTERNAL        = "internal"
	// EUNAVAILABLE says a dependency (the database) is down or too slow:
	// the request may succeed if retried later.
	EUNAVAILABLE = "unavailable"
)

// Error is an application error with a code from the fixed set, a message a
// user can read, and optionally a message per offending field.
type Error struct {
	Code    string
	Message string
	// Fields maps a field name (as the client sent it) to what is wrong with it.
	Fields map[string]string
	// Detail is extra data returned with the error (for example the current
	// state of an object on a conflict).
	Detail any
}

// Error implements the error interface.
func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return fmt.Sprintf("%s: %s", e.Code, e.Message)
	}
	return fmt.Sprintf("%s: %s %v", e.Code, e.Message, e.Fields)
}

// Errorf returns an *Error with the code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns an EINVALID error naming each bad field.
func Invalid(message string, fields map[string]string) *Error {
	return &Error{Code: EINVALID, Message: message, Fields: fields}
}

// NotFound returns an ENOTFOUND error for an object kind.
func NotFound(what string) *Error {
	return &Error{Code: ENOTFOUND, Message: what + " không tồn tại"}
}

// ErrorCode returns the code of err, EINTERNAL for an unknown error and ""
// for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of err; unknown errors get a
// generic message so internal details never reach a user.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Lỗi hệ thống, vui lòng thử lại sau."
}

// FieldErrors collects per-field validation messages.
type FieldErrors map[string]string

// Add records msg for field unless the field already has a message.
func (f FieldErrors) Add(field, msg string) {
	if _, ok := f[field]; !ok {
		f[field] = msg
	}
}

// Err returns nil when empty, otherwise an EINVALID error naming every field.
func (f FieldErrors) Err() error {
	if len(f) == 0 {
		return nil
	}
	return Invalid("Dữ liệu không hợp lệ", map[string]string(f))
}
