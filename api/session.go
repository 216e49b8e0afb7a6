package api

import (
	"context"
	"html"
	"net/http"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"chuyenhoa/authz/audit"
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
		ErrorHandler: func(err error, c echo.Context) error {
			return domain.Errorf(domain.EFORBIDDEN, "Biểu mẫu đã hết hạn hoặc thiếu mã bảo vệ (CSRF); vui lòng tải lại trang và thử lại")
		},
	})
	dropFetchSite := func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			c.Request().Header.Del(echo.HeaderSecFetchSite)
			return next(c)
		}
	}
	return []echo.MiddlewareFunc{echo.WrapMiddleware(s.sessions.LoadAndSave), renderErrorInSession, dropFetchSite, csrf, s.loadWebUser}
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
			return c.Redirect(http.StatusSeeOther, "/login?next="+c.Request().URL.Path)
		}
		if permission != Public && !can(c.Request().Context(), s.opts.Enforcer, u, permission) {
			audit.Record(c.Request().Context(), s.opts.DB, audit.Change{Action: "authz.denied", ObjectType: "permission", ObjectID: permission, Unit: u.Unit})
			return domain.Errorf(domain.EFORBIDDEN, "Bạn không có quyền xem trang này")
		}
		return h(c)
	}
}

func csrfToken(c echo.Context) string {
	t, _ := c.Get("csrf").(string)
	return t
}

func (s *Server) loginPage(c echo.Context) error {
	return c.HTML(http.StatusOK, loginHTML(csrfToken(c), c.QueryParam("next"), ""))
}

func loginHTML(csrf, next, msg string) string {
	m := ""
	if msg != "" {
		m = `<p role="alert" class="error">` + html.EscapeString(msg) + `</p>`
	}
	return `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Đăng nhập — Chuyển hóa địa bàn</title></head><body><main><h1>Đăng nhập</h1>` + m +
		`<form method="post" action="/login"><input type="hidden" name="_csrf" value="` + html.EscapeString(csrf) + `"><input type="hidden" name="next" value="` + html.EscapeString(next) + `">` +
		`<p><label for="username">Tên đăng nhập</label><br><input id="username" name="username" autocomplete="username" required></p>` +
		`<p><label for="password">Mật khẩu</label><br><input id="password" name="password" type="password" autocomplete="current-password" required></p>` +
		`<p><button type="submit">Đăng nhập</button></p></form></main></body></html>`
}

func (s *Server) loginSubmit(c echo.Context) error {
	ctx := audit.NewContextWithActor(c.Request().Context(), audit.Actor{IP: c.RealIP(), RequestID: requestID(c)})
	u, err := s.opts.Identity.Authenticate(ctx, c.FormValue("username"), c.FormValue("password"), c.RealIP())
	switch domain.ErrorCode(err) {
	case "":
	case domain.EUNAUTHENTICATED, domain.EINVALID, domain.ETOOMANY:
		status := http.StatusUnauthorized
		if domain.ErrorCode(err) == domain.ETOOMANY {
			status = http.StatusTooManyRequests
		}
		return c.HTML(status, loginHTML(csrfToken(c), c.FormValue("next"), domain.ErrorMessage(err)))
	default:
		return err
	}
	// A new session token at sign-in defeats session fixation.
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	s.sessions.Put(ctx, sessionUserKey, u.ID)
	next := c.FormValue("next")
	if len(next) < 1 || next[0] != '/' || (len(next) > 1 && (next[1] == '/' || next[1] == '\\')) {
		next = "/"
	}
	return c.Redirect(http.StatusSeeOther, next)
}

func (s *Server) logoutSubmit(c echo.Context) error {
	ctx := c.Request().Context()
	if u := identity.UserFromContext(ctx); u != nil {
		audit.Record(ctx, s.opts.DB, audit.Change{Action: "auth.logout", ObjectType: "user", ObjectID: itoa(u.ID), Unit: u.Unit})
	}
	if err := s.sessions.Destroy(ctx); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/login")
}

func (s *Server) homePage(c echo.Context) error {
	u := identity.UserFromContext(c.Request().Context())
	unit := "Nền tảng"
	if u.Unit != nil {
		unit = u.Unit.Name
	}
	return c.HTML(http.StatusOK, `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Trang chủ — Chuyển hóa địa bàn</title></head><body><main><h1>Xin chào, `+
		html.EscapeString(u.FullName)+`</h1><p>Đơn vị: `+html.EscapeString(unit)+`</p><form method="post" action="/logout"><input type="hidden" name="_csrf" value="`+
		html.EscapeString(csrfToken(c))+`"><button type="submit">Đăng xuất</button></form></main></body></html>`)
}

var _ = context.Background
