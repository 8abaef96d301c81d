// Package search answers the storefront's search box: it asks every shard of
// the product index for its best hits, with a deadline, and merges what came
// back in time.
package search

import (
	"cmp"
	"context"
	"slices"
	"time"
)

// Hit is one matching product.
type Hit struct {
	SKU   string
	Score float64
}

// Shard is one shard of the product index, queried over the network.
type Shard interface {
	Search(ctx context.Context, query string) ([]Hit, error)
}

// Result is what the search box shows.
type Result struct {
	Hits    []Hit // best first
	Partial bool  // some shard failed or did not answer in time
}

// Searcher queries all shards at once. A shard stalls now and then (a merge,
// a garbage-collection pause, a failover): the search box must not wait for it.
type Searcher struct {
	Shards  []Shard
	Timeout time.Duration // how long a search may take; 300ms in production
}

type answer struct {
	hits []Hit
	err  error
}

// Search asks every shard for query and returns their hits, best first. It
// returns after s.Timeout at the latest, or when ctx is done, with the hits
// of the shards that have answered by then.
func (s *Searcher) Search(ctx context.Context, query string) Result {
	ctx, cancel := context.WithTimeout(ctx, s.Timeout)
	defer cancel()

	answers := make(chan answer, len(s.Shards)) // room for every answer
	for _, shard := range s.Shards {
		go func() {
			// A shard query must not run longer than the search: give it
			// the search's timeout.
			shardCtx, cancelShard := context.WithTimeout(context.Background(), s.Timeout)
			defer cancelShard()
			hits, err := shard.Search(shardCtx, query)
			answers <- answer{hits, err}
		}()
	}

	var res Result
	for range s.Shards {
		select {
		case a := <-answers:
			if a.err != nil {
				res.Partial = true
				continue
			}
			res.Hits = append(res.Hits, a.hits...)
		case <-ctx.Done():
			res.Partial = true
			return sorted(res)
		}
	}
	return sorted(res)
}

func sorted(res Result) Result {
	slices.SortStableFunc(res.Hits, func(a, b Hit) int { return cmp.Compare(b.Score, a.Score) })
	return res
}
