package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"chuyenhoa/api/web"
	"chuyenhoa/authz/identity"
)

type settingsView struct {
	web.Page
	LangField web.Field
}

func (s *Server) langField(c echo.Context, current, errMsg string) web.Field {
	f := web.Field{Name: "lang", Label: s.t(c, "settings.lang"), Type: "select", Error: errMsg}
	for _, l := range web.Langs {
		f.Options = append(f.Options, web.Option{Value: l, Label: s.t(c, "lang."+l), Selected: l == current})
	}
	return f
}

// settingsPage shows the user's account and language choice.
func (s *Server) settingsPage(c echo.Context) error {
	u := identity.UserFromContext(c.Request().Context())
	return s.render(c, http.StatusOK, "settings", settingsView{Page: s.page(c), LangField: s.langField(c, u.Lang, "")})
}
