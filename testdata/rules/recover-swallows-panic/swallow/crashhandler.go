package swallow

import "log"

// handleCrash logs a panic with its handlers and raises it again.
func handleCrash(handlers ...func(any)) {
	if r := recover(); r != nil {
		for _, h := range handlers {
			h(r)
		}
		log.Printf("observed a panic: %v", r)
		panic(r)
	}
}

// The crash handler, deferred last, runs first: it reports the panic and raises it again. The
// bare recover deferred before it only keeps that second panic from ending the process.
func callWebhook(call func(), report chan<- error) {
	defer func() {
		recover()
	}()
	defer handleCrash(func(r any) { report <- nil })
	call()
}

// Without a handler the same bare recover drops the panic.
func callWebhookUnguarded(call func()) {
	defer func() {
		recover() // want `discards the value of recover\(\)`
	}()
	call()
}
