namespace Quiz;

/// <summary>The nine Data Engineering topics the bank covers, in the order the product presents them.</summary>
public static class Topics
{
    public const string DataModeling = "Data Modeling";
    public const string SqlPerformance = "SQL Performance";
    public const string DistributedSystems = "Distributed Systems";
    public const string Streaming = "Streaming";
    public const string DataWarehousesAndLakehouses = "Data Warehouses and Lakehouses";
    public const string EtlVsElt = "ETL vs ELT";
    public const string Orchestration = "Orchestration";
    public const string DataQuality = "Data Quality";
    public const string Observability = "Observability";

    public static IReadOnlyList<string> All { get; } =
    [
        DataModeling, SqlPerformance, DistributedSystems, Streaming, DataWarehousesAndLakehouses,
        EtlVsElt, Orchestration, DataQuality, Observability,
    ];
}
