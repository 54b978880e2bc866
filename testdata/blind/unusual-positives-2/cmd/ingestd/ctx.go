package main

import "context"

// nilContext is the context of background loops that live as long as the
// process.
func nilContext() context.Context { return context.Background() }
