package dev.recall.sample.catalogue;

/** What the category page shows in its header: how many products, how many reviews, how well rated. */
public record CategoryStats(String category, int productCount, long reviewCount, double averageRating) {
}
