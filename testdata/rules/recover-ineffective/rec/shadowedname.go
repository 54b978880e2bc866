package rec

import "log"

type bgGuard struct {
	name string
}

// report calls recover, but only ever from catch, never deferred itself: a local
// variable named report elsewhere in the package does not make it a method value.
func (g *bgGuard) report(what string) {
	if r := recover(); r != nil { // want `recover\(\) in bgGuard\.report returns nil: bgGuard\.report is only called from deferred functions`
		log.Printf("%s: %s panicked: %v", g.name, what, r)
	}
}

func (g *bgGuard) catch() {
	g.report("background task")
}

func (g *bgGuard) Go(fn func()) {
	go func() {
		defer g.catch()
		fn()
	}()
}

// TryLocal's closure is called in place inside the deferred literal, so its recover returns nil too.
func TryLocal(fn func()) {
	defer func() {
		report := func() {
			if r := recover(); r != nil { // want `recover\(\) in report \(the function literal on line \d+\) returns nil`
				log.Print(r)
			}
		}
		report()
	}()
	fn()
}

// note's method value is taken and deferred through a variable: it may run as the deferred
// call, so its recover is not reported.
func (g *bgGuard) note() {
	if r := recover(); r != nil {
		log.Printf("%s: %v", g.name, r)
	}
}

func (g *bgGuard) run(fn func()) {
	n := g.note
	defer n()
	fn()
}
