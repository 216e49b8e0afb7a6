package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"chuyenhoa/domain"
)

// msgControlChar is the field message for text holding a character no
// input has a use for.
const msgControlChar = "chứa ký tự điều khiển hoặc không phải UTF-8 (như NUL), không được chấp nhận"

// badText reports whether s holds invalid UTF-8 or a control character
// that no text input has a use for: NUL and the other C0 controls but tab,
// line feed and carriage return (notes keep their lines), DEL and the C1
// controls. PostgreSQL refuses NUL in text outright, and the rest would
// reach exports and logs.
func badText(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f {
				return true
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r >= 0x80 && r <= 0x9f {
			return true
		}
		i += size
	}
	return false
}

// textError is EINVALID naming every field in fields.
func textError(fields []string) error {
	sort.Strings(fields)
	fe := domain.FieldErrors{}
	for _, f := range fields {
		fe.Add(f, msgControlChar)
	}
	return fe.Invalid("Dữ liệu chứa ký tự không hợp lệ (trường " + strings.Join(fields, ", ") + ")")
}

// checkJSONText walks a JSON document and returns EINVALID naming, as a
// path ("admin.username", "tasks[0].title"), every key or string value
// with bad text. A document that does not parse is left to the decoder,
// which names the syntax error.
func checkJSONText(b []byte) error {
	// Bad text in a decoded key or string comes from the raw bytes (DEL,
	// C1, invalid UTF-8; raw C0 controls are a syntax error already) or
	// from a \u escape: a body with neither, nearly every body, is not
	// walked token by token.
	if !bytes.Contains(b, []byte(`\u`)) && !badText(string(b)) {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var bad []string
	// stack holds, per open container, its path and for an object the
	// key whose value comes next, for an array the next index.
	type level struct {
		path   string
		object bool
		key    string
		index  int
		inKey  bool
	}
	var stack []*level
	// where returns the path of the value about to be read.
	where := func() string {
		if len(stack) == 0 {
			return "body"
		}
		top := stack[len(stack)-1]
		prefix := top.path
		if top.object {
			if prefix == "" {
				return top.key
			}
			return prefix + "." + top.key
		}
		if prefix == "" {
			prefix = "body"
		}
		return prefix + "[" + strconv.Itoa(top.index) + "]"
	}
	// done moves the enclosing container past the value just read.
	done := func() {
		if len(stack) == 0 {
			return
		}
		top := stack[len(stack)-1]
		if top.object {
			top.inKey = true
		} else {
			top.index++
		}
	}
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil
		}
		if len(stack) > 0 && stack[len(stack)-1].object && stack[len(stack)-1].inKey {
			top := stack[len(stack)-1]
			if d, ok := tok.(json.Delim); ok && d == '}' {
				stack = stack[:len(stack)-1]
				done()
				continue
			}
			k, _ := tok.(string)
			top.key, top.inKey = k, false
			if badText(k) {
				bad = append(bad, where())
			}
			continue
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{', '[':
				p := where()
				if len(stack) == 0 {
					p = ""
				}
				stack = append(stack, &level{path: p, object: t == '{', inKey: t == '{'})
			case ']':
				stack = stack[:len(stack)-1]
				done()
			}
		case string:
			if badText(t) {
				bad = append(bad, where())
			}
			done()
		default:
			done()
		}
		if len(bad) >= 20 {
			break
		}
	}
	if len(bad) == 0 {
		return nil
	}
	return textError(bad)
}

// refuseBadText is the one guard of every request's text outside JSON
// bodies: query parameters, path parameters and form fields (URL-encoded
// or multipart, with the names of uploaded files) holding a NUL or another
// control character are a 400 naming the field, before any handler or
// query sees them. JSON bodies are checked where they are decoded
// (decodeJSON).
func refuseBadText(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		var bad []string
		r := c.Request()
		if badText(r.URL.Path) {
			bad = append(bad, "path")
		}
		for name, vs := range r.URL.Query() {
			if badText(name) || hasBadText(vs) {
				bad = append(bad, name)
			}
		}
		for i, name := range c.ParamNames() {
			if i < len(c.ParamValues()) && badText(c.ParamValues()[i]) {
				bad = append(bad, name)
			}
		}
		if r.Method == http.MethodPost || r.Method == http.MethodPut || r.Method == http.MethodPatch {
			mt, _, _ := mime.ParseMediaType(r.Header.Get(echo.HeaderContentType))
			switch mt {
			case echo.MIMEApplicationForm:
				if err := r.ParseForm(); err == nil {
					for name, vs := range r.PostForm {
						if badText(name) || hasBadText(vs) {
							bad = append(bad, name)
						}
					}
				}
			case echo.MIMEMultipartForm:
				// Parsed as Echo's FormValue and FormFile would (32 MB in
				// memory, the rest in temporary files), so handlers reuse it.
				if err := r.ParseMultipartForm(32 << 20); err == nil && r.MultipartForm != nil {
					for name, vs := range r.MultipartForm.Value {
						if badText(name) || hasBadText(vs) {
							bad = append(bad, name)
						}
					}
				}
			}
		}
		if len(bad) > 0 {
			return textError(dedupe(bad))
		}
		return next(c)
	}
}

func hasBadText(vs []string) bool {
	for _, v := range vs {
		if badText(v) {
			return true
		}
	}
	return false
}

func dedupe(s []string) []string {
	seen := map[string]bool{}
	out := s[:0]
	for _, v := range s {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}
