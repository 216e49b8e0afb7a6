package api

// registerReportRoutes registers the report endpoints.
func (s *Server) registerReportRoutes() {}

// reportSchemas lists the OpenAPI components of the report endpoints.
func reportSchemas() map[string]any { return map[string]any{} }
