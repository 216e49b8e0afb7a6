package api

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"chuyenhoa/domain"
)

var errForbiddenNoAuthorizer = domain.Errorf(domain.EFORBIDDEN, "máy chủ chưa cấu hình phân quyền")

func (s *Server) healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok", "version": s.opts.Version})
}

func (s *Server) readyz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
	defer cancel()
	checks := map[string]string{}
	status := http.StatusOK
	if s.opts.DB != nil {
		if err := s.opts.DB.PingContext(ctx); err != nil {
			checks["database"] = "unreachable"
			status = http.StatusServiceUnavailable
		} else {
			checks["database"] = "ok"
		}
	}
	for _, ch := range s.opts.Checks {
		if err := ch.Ping(ctx); err != nil {
			checks[ch.Name] = "unreachable"
			status = http.StatusServiceUnavailable
		} else {
			checks[ch.Name] = "ok"
		}
	}
	return c.JSON(status, map[string]any{"status": http.StatusText(status), "checks": checks})
}
