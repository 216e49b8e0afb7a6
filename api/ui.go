package api

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/uptrace/bun"

	"chuyenhoa/api/web"
	"chuyenhoa/authz/identity"
	"chuyenhoa/domain"
	"chuyenhoa/tenants"
)

// The server-rendered pages (one file per UI action, ui_*.go) share what
// is here: the page constructor, the language, flash messages, rendering
// and the mapping of service field errors onto form fields.

const (
	flashKey     = "flash"
	flashKindKey = "flash_kind"
	langCookie   = "lang"
)

// lang returns the language of the request: the signed-in user's, else
// the lang cookie set on the sign-in page, else Vietnamese.
func (s *Server) lang(c echo.Context) string {
	if u := identity.UserFromContext(c.Request().Context()); u != nil {
		return web.NormLang(u.Lang)
	}
	if ck, err := c.Cookie(langCookie); err == nil {
		return web.NormLang(ck.Value)
	}
	return web.LangVI
}

// t translates key in the request's language.
func (s *Server) t(c echo.Context, key string, args ...any) string {
	return s.web.T(s.lang(c), key, args...)
}

// page fills what every page needs: user, navigation, CSRF token, flash.
func (s *Server) page(c echo.Context) web.Page {
	ctx := c.Request().Context()
	lang := s.lang(c)
	p := web.Page{Lang: lang, CSRF: csrfToken(c), RequestID: requestID(c), CSSPath: s.web.CSSPath, JSPath: s.web.JSPath,
		Today: web.FormatDate(domain.DateOf(s.opts.Now()))}
	u := identity.UserFromContext(ctx)
	if u == nil {
		return p
	}
	p.User = &web.PageUser{ID: u.ID, Name: u.FullName, Username: u.Username, UnitName: s.web.T(lang, "platform")}
	if u.Unit != nil {
		p.User.UnitName = u.Unit.Name
	}
	for _, r := range u.Roles {
		p.User.Roles = append(p.User.Roles, s.web.T(lang, "role."+r))
	}
	// Popping marks the session modified (a write to the store), so only
	// when there is a message.
	if s.sessions != nil && s.sessions.Exists(ctx, flashKey) {
		if f := s.sessions.PopString(ctx, flashKey); f != "" {
			p.Flash, p.FlashKind = f, s.sessions.PopString(ctx, flashKindKey)
		}
	}
	path := c.Request().URL.Path
	for _, n := range s.navItems(u) {
		if !s.opts.Enforcer.Can(u.ID, u.HomeUnitID(), n.perm) {
			continue
		}
		cur := path == n.href || (n.href != "/" && strings.HasPrefix(path, n.href+"/"))
		p.Nav = append(p.Nav, web.NavItem{Href: n.href, Label: s.web.T(lang, n.label), Current: cur})
	}
	return p
}

type navItem struct{ href, label, perm string }

// navItems lists the main navigation; each link shows only to users
// holding its permission.
func (s *Server) navItems(u *identity.User) []navItem {
	items := []navItem{{"/", "nav.home", "me:read"}}
	if u.Unit != nil {
		items = append(items, navItem{"/units/" + itoa(u.Unit.ID), "nav.units", "unit:read"})
	}
	items = append(items,
		navItem{"/target-areas", "nav.targets", "target:read"},
		navItem{"/plans", "nav.plans", "plan:read"},
		navItem{"/review", "nav.review", "report:review"},
		navItem{"/compare", "nav.compare", "compare:read"},
		navItem{"/campaigns", "nav.campaigns", "campaign:create"},
		navItem{"/admin/provinces", "nav.provinces", "tenant:create"},
		navItem{"/admin/users", "nav.users", "user:read"},
		navItem{"/audit", "nav.audit", "audit:read"},
	)
	return items
}

// flash stores a one-time message shown on the next page.
func (s *Server) flash(c echo.Context, kind, msg string) {
	ctx := c.Request().Context()
	s.sessions.Put(ctx, flashKey, msg)
	s.sessions.Put(ctx, flashKindKey, kind)
}

// render writes a view with status.
func (s *Server) render(c echo.Context, status int, view string, data any) error {
	var buf bytes.Buffer
	if err := s.web.Render(&buf, s.lang(c), view, data); err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.HTMLBlob(status, buf.Bytes())
}

// redirect answers a POST with 303 See Other.
func redirect(c echo.Context, to string) error { return c.Redirect(http.StatusSeeOther, to) }

// formErrors splits a service error into per-field messages and a summary
// for a form: EINVALID (and ECONFLICT or EFORBIDDEN naming fields) are
// shown on the form; anything else is returned to the error handler.
func (s *Server) formErrors(c echo.Context, err error) (map[string]string, string, error) {
	fe, summary, err := s.formMsgs(c, err)
	if err != nil {
		return nil, "", err
	}
	f := make(map[string]string, len(fe))
	for k, m := range fe {
		f[k] = m.Text
	}
	return f, summary, nil
}

// formMsgs is formErrors with the field messages as domain.Msg, for a form
// that words them in the user's language (fieldMessages).
func (s *Server) formMsgs(c echo.Context, err error) (domain.FieldErrors, string, error) {
	var de *domain.Error
	if !errors.As(err, &de) {
		return nil, "", err
	}
	switch de.Code {
	case domain.EINVALID, domain.EUNPROCESSABLE:
	case domain.ECONFLICT, domain.EFORBIDDEN:
		if len(de.Fields) == 0 && de.Code == domain.EFORBIDDEN {
			return nil, "", err
		}
	default:
		return nil, "", err
	}
	summary := s.t(c, "form.invalid")
	if de.Code != domain.EINVALID || len(de.Fields) == 0 {
		summary = s.errorMessage(c, de)
	}
	return de.FieldErrors(), summary, nil
}

// staticFile serves the embedded stylesheet and script; their URLs carry
// a content hash, so they are cached for a year.
func (s *Server) staticFile(c echo.Context) error {
	body, ct, ok := s.web.Asset(c.Param("name"))
	if !ok {
		return echo.ErrNotFound
	}
	if c.QueryParam("v") != "" {
		c.Response().Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		c.Response().Header().Set("Cache-Control", "public, max-age=300")
	}
	return c.Blob(http.StatusOK, ct, body)
}

// formInt64 parses an optional positive id from a form or query value.
func formInt64(v string) (*int64, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil, true
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		return nil, false
	}
	return &n, true
}

// unitNames returns the names of the units with ids that lie in the
// caller's scope.
func (s *Server) unitNames(ctx context.Context, ids []int64) map[int64]string {
	out := map[int64]string{}
	if len(ids) == 0 {
		return out
	}
	var units []*tenants.Unit
	q, err := tenants.WherePathCtx(ctx, s.opts.DB.NewSelect().Model(&units).Column("id", "name").Where("u.id IN (?)", bun.In(ids)), "u.path")
	if err != nil {
		return out
	}
	if err := q.Scan(ctx); err != nil {
		return out
	}
	for _, u := range units {
		out[u.ID] = u.Name
	}
	return out
}

// today is the current date in Vietnam.
func (s *Server) today() domain.Date { return domain.DateOf(s.opts.Now()) }
