package api

import (
	"errors"

	"github.com/labstack/echo/v4"

	"chuyenhoa/api/web"
	"chuyenhoa/domain"
)

// The services (domain/, store/) say what is wrong with a value twice: in
// Vietnamese text naming the field by its Vietnamese label ("Tên nhiệm vụ
// không được để trống"), which the JSON API returns, and, for the common
// rules, as a catalogue key with its arguments (domain.Msg, built by the
// constructors in domain/msg.go). Vietnamese pages show the text as it is.
// English pages word a keyed message from the catalogue (rule.*, error.*)
// with the field's English label; a message without a key (cross-field
// rules, summaries) stays in Vietnamese. README.md ("The web pages") lists
// what is translated.

// fieldMessage returns m, a service's message about the field labelled
// label, in the user's language.
func (s *Server) fieldMessage(c echo.Context, label string, m domain.Msg) string {
	if m.Key == "" || s.lang(c) == web.LangVI {
		return m.Text
	}
	args := make([]any, 0, 2+2*len(m.Args))
	args = append(args, "label", label)
	for name, v := range m.Args {
		args = append(args, name, v)
	}
	return s.t(c, m.Key, args...)
}

// fieldMessages words the messages of a refused form, each field named by
// its label in labels (the field's name when missing).
func (s *Server) fieldMessages(c echo.Context, fields domain.FieldErrors, labels map[string]string) map[string]string {
	out := make(map[string]string, len(fields))
	for k, v := range fields {
		label := labels[k]
		if label == "" {
			label = k
		}
		out[k] = s.fieldMessage(c, label, v)
	}
	return out
}

// errorMessage returns the whole message of err in the user's language: a
// keyed message from the catalogue, any other as its Vietnamese text.
func (s *Server) errorMessage(c echo.Context, err error) string {
	var de *domain.Error
	if errors.As(err, &de) && de.Key != "" && s.lang(c) != web.LangVI {
		args := make([]any, 0, 2*len(de.Args))
		for name, v := range de.Args {
			args = append(args, name, v)
		}
		return s.t(c, de.Key, args...)
	}
	return domain.ErrorMessage(err)
}
