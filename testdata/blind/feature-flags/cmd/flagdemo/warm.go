//go:build go1.21

package main

import (
	"log"
	"sync"

	"example.com/flagsvc/internal/flags"
	"example.com/flagsvc/sdk"
)

// warmUp evaluates each flag once, concurrently, so that the first real
// request does not pay for the application's hook initialisation.
func warmUp(client *sdk.Client, keys []string) {
	var wg sync.WaitGroup
	for _, key := range keys {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			client.Variation(key, flags.User{Key: "warmup"}, "")
		}()
		log.Printf("warming %s", key)
	}
	wg.Wait()
}

// evaluateFor evaluates key for every user concurrently; results keep the
// order of users.
func evaluateFor(client *sdk.Client, key string, users []flags.User) []string {
	out := make([]string, len(users))
	var wg sync.WaitGroup
	for i := range users {
		i := i
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = client.Variation(key, users[i], "")
		}()
	}
	wg.Wait()
	return out
}
