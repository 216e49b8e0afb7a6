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

// Drain makes /readyz answer 503 "draining" from now on while every other
// route keeps serving: on SIGTERM the load balancer takes the instance out
// of rotation before its listener closes, so no client is refused.
func (s *Server) Drain() { s.draining.Store(true) }

// readyz answers 503 when the database (or a Critical check) fails, or
// while draining; an optional dependency that fails (Redis: the views are
// then served from the database) leaves it 200 with status "degraded",
// and sets chuyenhoa_dependency_degraded, so that an outage of the cache
// does not take every replica out of rotation.
func (s *Server) readyz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
	defer cancel()
	checks := map[string]string{}
	status, word := http.StatusOK, "OK"
	if s.opts.DB != nil {
		if err := s.opts.DB.PingContext(ctx); err != nil {
			checks["database"] = "unreachable"
			status, word = http.StatusServiceUnavailable, http.StatusText(http.StatusServiceUnavailable)
		} else {
			checks["database"] = "ok"
		}
	}
	for _, ch := range s.opts.Checks {
		if err := ch.Ping(ctx); err != nil {
			checks[ch.Name] = "unreachable"
			if ch.Critical {
				status, word = http.StatusServiceUnavailable, http.StatusText(http.StatusServiceUnavailable)
			} else {
				s.metrics.degraded.WithLabelValues(ch.Name).Set(1)
				if status == http.StatusOK {
					word = "degraded"
				}
			}
		} else {
			checks[ch.Name] = "ok"
			if !ch.Critical {
				s.metrics.degraded.WithLabelValues(ch.Name).Set(0)
			}
		}
	}
	if s.draining.Load() {
		status, word = http.StatusServiceUnavailable, "draining"
	}
	return c.JSON(status, map[string]any{"status": word, "checks": checks})
}
