// Two cores run silos, PostgreSQL and the tests: collections run one after another so timings stay honest.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
