package api

import (
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"chuyenhoa/authz/identity"
	"chuyenhoa/domain"
)

// Web session settings.
const (
	sessionIdle     = time.Hour
	sessionLifetime = 12 * time.Hour
	sessionUserKey  = identity.SessionUserKey
)

// newSessions builds the scs session manager: cookie __Host- prefixed,
// Secure when served over TLS, HttpOnly, SameSite=Lax, with idle and
// absolute timeouts.
func newSessions(store scs.Store, tls bool) *scs.SessionManager {
	sm := scs.New()
	sm.Store = store
	sm.IdleTimeout = sessionIdle
	sm.Lifetime = sessionLifetime
	sm.Cookie.Name = "chuyenhoa_session"
	if tls {
		sm.Cookie.Name = "__Host-chuyenhoa_session"
	}
	sm.Cookie.HttpOnly = true
	sm.Cookie.Secure = tls
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Path = "/"
	return sm
}

// csrfCookie is the name of the CSRF cookie.
func (s *Server) csrfCookie() string {
	if s.opts.TLS {
		return "__Host-chuyenhoa_csrf"
	}
	return "chuyenhoa_csrf"
}

// webMiddleware returns the session and CSRF middleware of the web group.
// The Sec-Fetch-Site shortcut of Echo's CSRF check is turned off by
// dropping the header, so every state-changing form needs its token. The
// token is taken from the form body or the X-CSRF-Token header, never from
// the URL: Echo's "form:" lookup reads the query string too, so _csrf is
// removed from it first (a token in a URL leaks through logs, history and
// Referer).
func (s *Server) webMiddleware() []echo.MiddlewareFunc {
	csrf := middleware.CSRFWithConfig(middleware.CSRFConfig{
		TokenLookup: "form:" + csrfField + ",header:X-CSRF-Token", CookieName: s.csrfCookie(), CookiePath: "/",
		CookieHTTPOnly: true, CookieSecure: s.opts.TLS, CookieSameSite: http.SameSiteLaxMode, ContextKey: "csrf",
		ErrorHandler: func(err error, c echo.Context) error { return errCSRF },
	})
	dropFetchSite := func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			c.Request().Header.Del(echo.HeaderSecFetchSite)
			return next(c)
		}
	}
	// The user is loaded before the CSRF check so that a refused form
	// still shows the error page with the user's navigation and language.
	return []echo.MiddlewareFunc{echo.WrapMiddleware(s.sessions.LoadAndSave), renderErrorInSession, dropFetchSite, dropQueryToken, s.loadWebUser, csrf}
}

// csrfField is the form field that carries the CSRF token.
const csrfField = "_csrf"

// dropQueryToken removes a CSRF token from the query string before the
// form is parsed, so that only the body (or the header) can carry it.
func dropQueryToken(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if strings.Contains(r.URL.RawQuery, csrfField) {
			q := r.URL.Query()
			q.Del(csrfField)
			r.URL.RawQuery = q.Encode()
			r.Form = nil
		}
		return next(c)
	}
}

// rotateCSRF gives the browser a new CSRF token (at sign-in, so that a
// token seen before it — on a shared computer, or planted — is worth
// nothing after). The cookie the CSRF middleware set on this answer is
// replaced, and pages rendered by this request use the new token.
func (s *Server) rotateCSRF(c echo.Context) error {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return err
	}
	token := base64.RawURLEncoding.EncodeToString(b)
	h := c.Response().Header()
	var kept []string
	for _, v := range h.Values(echo.HeaderSetCookie) {
		if !strings.HasPrefix(v, s.csrfCookie()+"=") {
			kept = append(kept, v)
		}
	}
	h[echo.HeaderSetCookie] = kept
	c.SetCookie(&http.Cookie{Name: s.csrfCookie(), Value: token, Path: "/", Expires: time.Now().Add(24 * time.Hour),
		Secure: s.opts.TLS, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	c.Set("csrf", token)
	return nil
}

// renderErrorInSession writes the answer of a failed web request while the
// session middleware is still in scope. Returned as is, the error would be
// rendered by Echo's error handler after the request's context is
// cancelled (ContextTimeout), and scs, committing the session as the error
// page's header went out, failed and answered a bare 500 instead of the
// 403 or 404 page. The error is still returned for the request log; the
// handler then sees the response committed and leaves it alone.
func renderErrorInSession(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		return err
	}
}

// errCSRF refuses a state-changing request without a valid CSRF token;
// the error page recognises it to explain it in the user's language.
var errCSRF = domain.Errorf(domain.EFORBIDDEN, "Biểu mẫu đã hết hạn hoặc thiếu mã bảo vệ (CSRF); vui lòng tải lại trang và thử lại")

// loadWebUser resolves the session's user on every request, so the session
// of a user who was disabled, or whose password, status or roles changed
// since it signed in, ends at its next request.
func (s *Server) loadWebUser(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		id := s.sessions.GetInt64(ctx, sessionUserKey)
		if id == 0 {
			s.clearStaleCookie(c)
			return next(c)
		}
		u, err := s.opts.Identity.UserByID(ctx, id)
		if domain.ErrorCode(err) == domain.EUNAUTHENTICATED || (err == nil && s.sessions.GetInt64(ctx, identity.SessionEpochKey) != u.SessionEpoch) {
			// Disabled, or its password, status or roles changed since
			// this session signed in (on any instance).
			s.sessions.Destroy(ctx)
			return next(c)
		} else if err != nil {
			return err
		}
		c.SetRequest(c.Request().WithContext(WithCaller(c, ctx, u)))
		return next(c)
	}
}

// clearStaleCookie tells the browser to drop a session cookie whose
// session is gone: ended by a change of its user (Service.UpdateUser
// deletes the stored sessions) or expired. A session that holds anything
// (a flash before sign-in) is kept.
func (s *Server) clearStaleCookie(c echo.Context) {
	if _, err := c.Cookie(s.sessions.Cookie.Name); err != nil || len(s.sessions.Keys(c.Request().Context())) > 0 {
		return
	}
	c.SetCookie(&http.Cookie{Name: s.sessions.Cookie.Name, Value: "", Path: "/", MaxAge: -1, Expires: time.Unix(1, 0),
		HttpOnly: true, Secure: s.opts.TLS, SameSite: http.SameSiteLaxMode})
}

// requireWeb wraps a web handler with sign-in and the permission check.
func (s *Server) requireWeb(permission string, h echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		u := identity.UserFromContext(c.Request().Context())
		if u == nil {
			return c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(c.Request().URL.RequestURI()))
		}
		if permission != Public && !can(c.Request().Context(), s.opts.Enforcer, u, permission) {
			return domain.Errorf(domain.EFORBIDDEN, "Bạn không có quyền xem trang này")
		}
		return h(c)
	}
}

func csrfToken(c echo.Context) string {
	t, _ := c.Get("csrf").(string)
	return t
}
