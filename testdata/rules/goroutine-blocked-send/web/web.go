package web

import (
	"time"

	"example.com/blockedsend/gin"
)

func slow() string {
	time.Sleep(time.Second)
	return "ok"
}

// A gin handler: the leak happens once per request.
func Status(c *gin.Context) {
	out := make(chan string) // want `Status makes out unbuffered.*one leaked goroutine per request \(Status is a gin handler\)`
	go func() {
		out <- slow()
	}()
	select {
	case s := <-out:
		c.String(200, s)
	case <-c.Done():
	}
}

// Not a handler: high, per call.
func status(done <-chan struct{}) string {
	out := make(chan string) // want `status makes out unbuffered.*one leaked goroutine per call;`
	go func() {
		out <- slow()
	}()
	select {
	case s := <-out:
		return s
	case <-done:
		return ""
	}
}
