package api

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"chuyenhoa/api/web"
	"chuyenhoa/authz/audit"
	"chuyenhoa/domain"
)

type loginView struct {
	web.Page
	Next     string
	Username string
	Error    string
}

// safeNext keeps a post-sign-in target on this site: a path, never
// "//host" or "/\host".
func safeNext(next string) string {
	if len(next) < 1 || next[0] != '/' || (len(next) > 1 && (next[1] == '/' || next[1] == '\\')) || strings.ContainsAny(next, "\r\n") {
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
		default:
			return err
		}
		v := loginView{Page: s.page(c), Next: c.FormValue("next"), Username: c.FormValue("username"), Error: s.t(c, key)}
		return s.render(c, status, "login", v)
	}
	// A new session token at sign-in defeats session fixation.
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	s.sessions.Put(ctx, sessionUserKey, u.ID)
	return c.Redirect(http.StatusSeeOther, safeNext(c.FormValue("next")))
}
