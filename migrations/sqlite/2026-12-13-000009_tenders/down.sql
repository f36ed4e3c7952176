DROP TABLE bid_scores;
DROP TABLE bid_files;
DROP TABLE bids;
DROP TABLE tender_packs;
DROP TABLE tenders;
