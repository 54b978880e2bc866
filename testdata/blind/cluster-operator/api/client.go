package api

import "context"

// Client is the subset of the API server the operator needs. Every returned
// object is a copy owned by the caller.
type Client interface {
	Get(ctx context.Context, key string) (*Cluster, error)
	List(ctx context.Context) ([]*Cluster, error)
	Create(ctx context.Context, obj *Cluster) (*Cluster, error)
	Update(ctx context.Context, obj *Cluster) (*Cluster, error)
	UpdateStatus(ctx context.Context, obj *Cluster) (*Cluster, error)
	Delete(ctx context.Context, key string) error
	Watch(ctx context.Context) (Watcher, error)
}

// Watcher delivers change events until Stop is called or the server closes
// the stream, in which case the result channel is closed.
type Watcher interface {
	ResultChan() <-chan Event
	Stop()
}
