package main

import (
	"example.com/fah31/internal/cache"
	internalsource "example.com/fah31/internal/source"
)

func source(cfg config) cache.ListWatcher {
	return internalsource.NewDir(cfg.objectsDir, cfg.poll)
}
