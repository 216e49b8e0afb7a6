package api

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"chuyenhoa/api/web"
	"chuyenhoa/authz/audit"
	"chuyenhoa/authz/identity"
	"chuyenhoa/domain"
)

type loginView struct {
	web.Page
	Next     string
	Username string
	Error    string
}

// safeNext keeps a post-sign-in target on this site. Every control,
// format (bidi, zero-width) and space character is removed first, because
// browsers drop tabs and newlines from a Location ("/\t/evil.example" is
// "//evil.example" to them); what is left must parse as a relative
// reference with an absolute path and no scheme, host or user, never
// "//host" or "/\host". Anything else goes home.
func safeNext(next string) string {
	next = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) || r == utf8.RuneError {
			return -1
		}
		return r
	}, next)
	if len(next) > 2048 || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	u, err := url.Parse(next)
	// Browsers read a backslash in the path as a slash.
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" ||
		!strings.HasPrefix(u.Path, "/") || strings.HasPrefix(strings.ReplaceAll(u.Path, "\\", "/"), "//") {
		return "/"
	}
	return next
}

// loginPage shows the sign-in form; ?lang= chooses its language for a
// visitor (kept in a cookie until the user's own setting takes over).
func (s *Server) loginPage(c echo.Context) error {
	if l := c.QueryParam("lang"); l != "" {
		l = web.NormLang(l)
		c.SetCookie(&http.Cookie{Name: langCookie, Value: l, Path: "/", MaxAge: 365 * 24 * 3600, HttpOnly: true, Secure: s.opts.TLS, SameSite: http.SameSiteLaxMode})
		c.Request().AddCookie(&http.Cookie{Name: langCookie, Value: l})
	}
	v := loginView{Page: s.page(c), Next: safeNext(c.QueryParam("next"))}
	if v.Next == "/" {
		v.Next = ""
	}
	if s.sessions != nil && s.sessions.Exists(c.Request().Context(), flashKey) {
		if f := s.sessions.PopString(c.Request().Context(), flashKey); f != "" {
			v.Flash, v.FlashKind = f, s.sessions.PopString(c.Request().Context(), flashKindKey)
		}
	}
	return s.render(c, http.StatusOK, "login", v)
}

// loginSubmit checks the credentials with the identity service (throttled
// and audited there) and starts a new session.
func (s *Server) loginSubmit(c echo.Context) error {
	ctx := audit.NewContextWithActor(c.Request().Context(), audit.Actor{IP: c.RealIP(), RequestID: requestID(c)})
	u, err := s.opts.Identity.Authenticate(ctx, c.FormValue("username"), c.FormValue("password"), c.RealIP())
	if err != nil {
		key, status := "", http.StatusUnauthorized
		switch domain.ErrorCode(err) {
		case domain.EUNAUTHENTICATED:
			key = "login.failed"
		case domain.EINVALID:
			key, status = "login.missing", http.StatusBadRequest
		case domain.ETOOMANY:
			key, status = "login.throttled", http.StatusTooManyRequests
			setRetryAfter(c, err)
		default:
			return err
		}
		wait := int(identity.RetryAfter(err) / time.Second)
		if wait < 1 {
			wait = 1
		}
		v := loginView{Page: s.page(c), Next: safeNext(c.FormValue("next")), Username: c.FormValue("username"), Error: s.t(c, key, "seconds", strconv.Itoa(wait))}
		if v.Next == "/" {
			v.Next = ""
		}
		return s.render(c, status, "login", v)
	}
	// A new session token at sign-in defeats session fixation.
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	s.sessions.Put(ctx, sessionUserKey, u.ID)
	s.sessions.Put(ctx, identity.SessionEpochKey, u.SessionEpoch)
	if err := s.rotateCSRF(c); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, safeNext(c.FormValue("next")))
}
