package rec

import (
	"log"
	"sync"
)

type bootRunner struct{ once sync.Once }

// once.Do calls the literal itself, from inside the deferred literal: recover there returns nil.
func (b *bootRunner) runFirstBoot(job func()) {
	defer func() {
		b.once.Do(func() {
			if p := recover(); p != nil { // want `recover\(\) in the function literal on line \d+ returns nil: the literal is called inside the function literal on line \d+, which is deferred, instead of being deferred itself`
				log.Printf("first boot panicked: %v", p)
			}
		})
	}()
	job()
}
