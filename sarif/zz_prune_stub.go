package sarif

import "context"

// Pruned is a stub of the lead's type, deleted when it lands.
type Pruned struct{ Rules, Taxa, Artifacts, ThreadFlowLocations int }

// Prune is a stub of the lead's method, deleted when it lands.
func (r *Run) Prune(ctx context.Context) (Pruned, error) { return Pruned{}, nil }
