public enum AnalysisModule {}
