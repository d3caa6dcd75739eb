// The scenarios kill processes and restart the database they share: one at a time, or they would fault each other.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
