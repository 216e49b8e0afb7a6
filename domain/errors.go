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
//
// Message and Fields are Vietnamese text: the JSON API returns them as they
// are. Key and FieldMsgs say the same thing as a catalogue key and its
// arguments (gitea's LocaleWrapper), so that the web pages can word it in
// the user's language; a message without a key is shown as its text.
type Error struct {
	Code    string
	Message string
	// Key names the whole message in the catalogue (api/web/locales), ""
	// when it has none; Args fill its placeholders.
	Key  string
	Args map[string]any
	// Fields maps a field name (as the client sent it) to what is wrong with it.
	Fields map[string]string
	// FieldMsgs holds, for the fields of Fields whose message has a key,
	// that message as a Msg (its Text equals Fields[field]).
	FieldMsgs map[string]Msg
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

// FieldMsg returns the message about field: its key and arguments when it
// has them, otherwise just its text ("" when the field has no message).
func (e *Error) FieldMsg(field string) Msg {
	if m, ok := e.FieldMsgs[field]; ok {
		return m
	}
	return Msg{Text: e.Fields[field]}
}

// FieldErrors returns a copy of the field messages of e, keys included, for
// a caller that renames or merges them.
func (e *Error) FieldErrors() FieldErrors {
	fe := make(FieldErrors, len(e.Fields))
	for f := range e.Fields {
		fe[f] = e.FieldMsg(f)
	}
	return fe
}

// FieldErrors collects per-field validation messages.
type FieldErrors map[string]Msg

// Add records the message text for field, with no key, unless the field
// already has a message. A message the web pages should word in the
// user's language is recorded with AddMsg and a constructor from msg.go.
func (f FieldErrors) Add(field, text string) {
	f.AddMsg(field, Msg{Text: text})
}

// AddMsg records m for field unless the field already has a message.
func (f FieldErrors) AddMsg(field string, m Msg) {
	if _, ok := f[field]; !ok {
		f[field] = m
	}
}

// Invalid returns an EINVALID error with message naming every field of f
// (nil fields when f is empty).
func (f FieldErrors) Invalid(message string) *Error {
	e := &Error{Code: EINVALID, Message: message}
	if len(f) == 0 {
		return e
	}
	e.Fields = make(map[string]string, len(f))
	for field, m := range f {
		e.Fields[field] = m.Text
		if m.Key != "" {
			if e.FieldMsgs == nil {
				e.FieldMsgs = map[string]Msg{}
			}
			e.FieldMsgs[field] = m
		}
	}
	return e
}

// Err returns nil when empty, otherwise an EINVALID error naming every field.
func (f FieldErrors) Err() error {
	if len(f) == 0 {
		return nil
	}
	return f.Invalid("Dữ liệu không hợp lệ")
}
