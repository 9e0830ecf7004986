using System.Diagnostics.CodeAnalysis;

// The ONNX writer's type and member names mirror the ONNX specification (Float, Int64, Dim, AttributeProto).
[assembly: SuppressMessage("Naming", "CA1711", Scope = "namespaceanddescendants", Target = "~N:Vireo.Onnx", Justification = "ONNX names")]
[assembly: SuppressMessage("Naming", "CA1716", Scope = "namespaceanddescendants", Target = "~N:Vireo.Onnx", Justification = "ONNX names")]
[assembly: SuppressMessage("Naming", "CA1720", Scope = "namespaceanddescendants", Target = "~N:Vireo.Onnx", Justification = "ONNX names")]
