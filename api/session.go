package api

import (
	"net/http"
	"net/url"
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
	sessionUserKey  = "user_id"
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

// webMiddleware returns the session and CSRF middleware of the web group.
// The Sec-Fetch-Site shortcut of Echo's CSRF check is turned off by
// dropping the header, so every state-changing form needs its token.
func (s *Server) webMiddleware() []echo.MiddlewareFunc {
	csrfName := "chuyenhoa_csrf"
	if s.opts.TLS {
		csrfName = "__Host-chuyenhoa_csrf"
	}
	csrf := middleware.CSRFWithConfig(middleware.CSRFConfig{
		TokenLookup: "form:_csrf,header:X-CSRF-Token", CookieName: csrfName, CookiePath: "/",
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
	return []echo.MiddlewareFunc{echo.WrapMiddleware(s.sessions.LoadAndSave), renderErrorInSession, dropFetchSite, s.loadWebUser, csrf}
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

// loadWebUser resolves the session's user on every request, so a disabled
// user's session ends at the next request.
func (s *Server) loadWebUser(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		id := s.sessions.GetInt64(ctx, sessionUserKey)
		if id == 0 {
			return next(c)
		}
		u, err := s.opts.Identity.UserByID(ctx, id)
		if domain.ErrorCode(err) == domain.EUNAUTHENTICATED {
			s.sessions.Destroy(ctx)
			return next(c)
		} else if err != nil {
			return err
		}
		c.SetRequest(c.Request().WithContext(WithCaller(c, ctx, u)))
		return next(c)
	}
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
