package api

// registerCompareRoutes registers the compare endpoints.
func (s *Server) registerCompareRoutes() {}

// compareSchemas lists the OpenAPI components of the compare endpoints.
func compareSchemas() map[string]any { return map[string]any{} }
