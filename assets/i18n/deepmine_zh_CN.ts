<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>ColumnMappingDialog</name>
    <message>
        <source>Match your columns</source>
        <translation>匹配你的列</translation>
    </message>
    <message>
        <source>{file} uses other column names. Tell the app which of its columns holds each feature.</source>
        <translation>{file} 使用了不同的列名。请告诉应用每个特征对应文件中的哪一列。</translation>
    </message>
    <message>
        <source>(not in this file)</source>
        <translation>（此文件中没有）</translation>
    </message>
    <message>
        <source>Price (the value to learn)</source>
        <translation>价格（要学习的值）</translation>
    </message>
</context>
<context>
    <name>CompareTab</name>
    <message>
        <source>Quick (about 3 minutes)</source>
        <translation>快速（约 3 分钟）</translation>
    </message>
    <message>
        <source>Full (up to all training digits; long)</source>
        <translation>完整（用上全部训练数字；耗时较长）</translation>
    </message>
    <message>
        <source>Run the comparison</source>
        <translation>运行对比</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Runs decision trees, forests, boosting and neural networks on the digits (pixels) and on the houses (a table), at growing training-set sizes. Finished results are kept: a re-run is instant.</source>
        <translation>在数字（像素）和房屋（表格）上，用逐步增大的训练集分别运行决策树、随机森林、梯度提升和神经网络。已完成的结果会保留：再次运行立即得到。</translation>
    </message>
    <message>
        <source>Preset:</source>
        <translation>预设：</translation>
    </message>
    <message>
        <source>Dimension</source>
        <translation>维度</translation>
    </message>
    <message>
        <source>Digits (pixels), measured</source>
        <translation>数字（像素）实测</translation>
    </message>
    <message>
        <source>Houses (table), measured</source>
        <translation>房屋（表格）实测</translation>
    </message>
    <message>
        <source>Reading</source>
        <translation>解读</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Training size</source>
        <translation>训练集大小</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>得分</translation>
    </message>
    <message>
        <source>Training time (s)</source>
        <translation>训练时间（秒）</translation>
    </message>
    <message>
        <source>Prediction (ms/item)</source>
        <translation>预测（毫秒/条）</translation>
    </message>
    <message>
        <source>Size on disk (KB)</source>
        <translation>磁盘大小（KB）</translation>
    </message>
    <message>
        <source>Explanation</source>
        <translation>可解释性</translation>
    </message>
    <message>
        <source>Learning curves</source>
        <translation>学习曲线</translation>
    </message>
    <message>
        <source>Score vs. training time</source>
        <translation>得分与训练时间</translation>
    </message>
    <message>
        <source>Every result</source>
        <translation>全部结果</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <source>Cancelling… finished results are kept.</source>
        <translation>正在取消……已完成的结果会保留。</translation>
    </message>
    <message>
        <source>{step} — about {eta} left</source>
        <translation>{step} —— 约剩 {eta}</translation>
    </message>
    <message>
        <source>Done in {time}: {n} results ({cached} from earlier runs).</source>
        <translation>完成，用时 {time}：共 {n} 个结果（{cached} 个来自先前的运行）。</translation>
    </message>
    <message>
        <source>The comparison is ready.</source>
        <translation>对比已完成。</translation>
    </message>
    <message>
        <source>The comparison stopped: {reason}</source>
        <translation>对比已停止：{reason}</translation>
    </message>
    <message>
        <source>Cancelled. {n} finished results are kept and will be reused.</source>
        <translation>已取消。{n} 个已完成的结果已保留，下次会直接使用。</translation>
    </message>
    <message>
        <source>Digits</source>
        <translation>数字</translation>
    </message>
    <message>
        <source>Houses</source>
        <translation>房屋</translation>
    </message>
    <message>
        <source>training digits (log scale)</source>
        <translation>训练数字数（对数刻度）</translation>
    </message>
    <message>
        <source>training rows (log scale)</source>
        <translation>训练行数（对数刻度）</translation>
    </message>
    <message>
        <source>accuracy on held-out digits</source>
        <translation>留出数字上的准确率</translation>
    </message>
    <message>
        <source>cross-validated MSE</source>
        <translation>交叉验证均方误差</translation>
    </message>
    <message>
        <source>Digits (pixels)</source>
        <translation>数字（像素）</translation>
    </message>
    <message>
        <source>Houses (table)</source>
        <translation>房屋（表格）</translation>
    </message>
    <message>
        <source>training time, seconds (log scale)</source>
        <translation>训练时间，秒（对数刻度）</translation>
    </message>
    <message>
        <source>{seconds} s</source>
        <translation>{seconds} 秒</translation>
    </message>
    <message>
        <source>{minutes} min {seconds} s</source>
        <translation>{minutes} 分 {seconds} 秒</translation>
    </message>
</context>
<context>
    <name>DataPage</name>
    <message>
        <source>Import a CSV of houses…</source>
        <translation>导入房屋 CSV…</translation>
    </message>
    <message>
        <source>Back to the Boston data</source>
        <translation>返回波士顿数据</translation>
    </message>
    <message>
        <source>Price every house in a CSV…</source>
        <translation>为 CSV 中的每套房屋估价…</translation>
    </message>
    <message>
        <source>About the B column: </source>
        <translation>关于 B 列：</translation>
    </message>
    <message>
        <source>&lt;b&gt;Data:&lt;/b&gt; {label} — {n} houses, fingerprint {sha}</source>
        <translation>&lt;b&gt;数据：&lt;/b&gt;{label}——{n} 套房屋，指纹 {sha}</translation>
    </message>
    <message>
        <source>Rows read: {rows}; missing cells: {missing}; non-numeric cells: {bad}; rows dropped: {dropped}.</source>
        <translation>读取行数：{rows}；缺失单元格：{missing}；非数字单元格：{bad}；删除行数：{dropped}。</translation>
    </message>
</context>
<context>
    <name>DigitTab</name>
    <message>
        <source>Loading the digit model…</source>
        <translation>正在加载数字模型…</translation>
    </message>
    <message>
        <source>Show what the network saw (28×28 input and saliency)</source>
        <translation>显示网络看到的内容（28×28 输入和显著性图）</translation>
    </message>
    <message>
        <source>Prediction</source>
        <translation>预测</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>My handwriting</source>
        <translation>我的手写</translation>
    </message>
    <message>
        <source>The model is not ready yet; your digit will be recognised as soon as it is.</source>
        <translation>模型尚未就绪；一旦就绪，就会识别你写的数字。</translation>
    </message>
    <message>
        <source>Recognition failed: {reason}</source>
        <translation>识别失败：{reason}</translation>
    </message>
    <message>
        <source>No digit found: the canvas is empty or holds only specks.</source>
        <translation>没有找到数字：画布是空的，或只有零星的点。</translation>
    </message>
    <message>
        <source>{digit}  ({confidence} sure)</source>
        <translation>{digit}  （把握 {confidence}）</translation>
    </message>
    <message>
        <source>Low confidence: this may not be a clear digit. Try drawing it larger, centred, in one go.</source>
        <translation>把握不大：这可能不是一个清晰的数字。试着写大一些、居中、一笔写完。</translation>
    </message>
    <message>
        <source>Saved as a {digit} in your handwriting set.</source>
        <translation>已作为 {digit} 存入你的手写集。</translation>
    </message>
    <message>
        <source>Thanks — saved as a {digit}. Fine-tune on your handwriting to teach the model.</source>
        <translation>谢谢——已保存为 {digit}。用你的手写数据微调，教会模型。</translation>
    </message>
    <message>
        <source>Could not open the image: {reason}</source>
        <translation>无法打开图片：{reason}</translation>
    </message>
    <message>
        <source>{progress} — {speed} digits/s, about {eta} left</source>
        <translation>{progress} —— 每秒 {speed} 个数字，约剩 {eta}</translation>
    </message>
    <message>
        <source>No trained model yet: training a model in the background{pct}. Recognition starts when it is done.</source>
        <translation>还没有训练好的模型：正在后台训练模型{pct}。训练完成后即开始识别。</translation>
    </message>
    <message>
        <source>shipped with the app</source>
        <translation>随应用提供</translation>
    </message>
    <message>
        <source>loaded from your saved models</source>
        <translation>从你保存的模型加载</translation>
    </message>
    <message>
        <source>trained in {duration}</source>
        <translation>训练用时 {duration}</translation>
    </message>
    <message>
        <source>Model: {line}; {origin}.</source>
        <translation>模型：{line}；{origin}。</translation>
    </message>
    <message>
        <source>Training failed: {reason}</source>
        <translation>训练失败：{reason}</translation>
    </message>
    <message>
        <source>No digit model: {reason} Choose settings and press Train.</source>
        <translation>没有数字模型：{reason} 请选择设置后点击“训练”。</translation>
    </message>
    <message>
        <source>{seconds} s</source>
        <translation>{seconds} 秒</translation>
    </message>
    <message>
        <source>{minutes} min {seconds} s</source>
        <translation>{minutes} 分 {seconds} 秒</translation>
    </message>
    <message>
        <source>Digit</source>
        <translation>数字</translation>
    </message>
    <message>
        <source>Probability</source>
        <translation>概率</translation>
    </message>
    <message>
        <source>How sure the network is about each digit</source>
        <translation>网络对每个数字的把握</translation>
    </message>
    <message>
        <source>Network input (28×28)</source>
        <translation>网络输入（28×28）</translation>
    </message>
    <message>
        <source>Where it looked</source>
        <translation>它关注的位置</translation>
    </message>
    <message>
        <source>Fine-tuning on MNIST plus your digits…</source>
        <translation>正在用 MNIST 加上你的数字进行微调…</translation>
    </message>
    <message>
        <source>Accuracy on your {n} digits: {before} before, {after} after fine-tuning.</source>
        <translation>在你的 {n} 个数字上的准确率：微调前 {before}，微调后 {after}。</translation>
    </message>
    <message>
        <source>Open a digit image</source>
        <translation>打开数字图像</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.bmp *.gif *.tif *.tiff *.webp);;All files (*)</source>
        <translation>图像 (*.png *.jpg *.jpeg *.bmp *.gif *.tif *.tiff *.webp);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>Ready.</source>
        <translation>就绪。</translation>
    </message>
    <message>
        <source>Draw a digit here</source>
        <translation>在这里写一个数字</translation>
    </message>
    <message>
        <source>The digit model is ready.</source>
        <translation>数字模型已就绪。</translation>
    </message>
    <message>
        <source>Training cancelled; the previous model is still in use.</source>
        <translation>训练已取消；仍在使用之前的模型。</translation>
    </message>
    <message>
        <source>Training cancelled. There is no digit model yet: press Train to make one.</source>
        <translation>训练已取消。目前还没有数字模型：点击“训练”来创建一个。</translation>
    </message>
</context>
<context>
    <name>DrawArea</name>
    <message>
        <source>Draw one digit with the left mouse button. Right-click clears.</source>
        <translation>按住鼠标左键写一个数字。右键单击清空。</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清空</translation>
    </message>
    <message>
        <source>Clear the canvas (Del)</source>
        <translation>清空画布（Del）</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Remove the last stroke (Ctrl+Z)</source>
        <translation>撤销最后一笔（Ctrl+Z）</translation>
    </message>
    <message>
        <source>Open image…</source>
        <translation>打开图像…</translation>
    </message>
    <message>
        <source>Recognise a digit from an image file or a photo (you can also drop one here)</source>
        <translation>从图片文件或照片识别数字（也可以把文件拖到这里）</translation>
    </message>
    <message>
        <source>Pen width</source>
        <translation>笔画粗细</translation>
    </message>
    <message>
        <source>Pen:</source>
        <translation>笔画：</translation>
    </message>
    <message>
        <source>That's wrong…</source>
        <translation>识别错了…</translation>
    </message>
    <message>
        <source>Tell the app the right digit; the drawing is saved to your handwriting set</source>
        <translation>告诉应用正确的数字；这幅手写会保存到你的手写样本集</translation>
    </message>
    <message>
        <source>It is a {digit}</source>
        <translation>这是 {digit}</translation>
    </message>
    <message>
        <source>Use the shipped model</source>
        <translation>使用随附模型</translation>
    </message>
    <message>
        <source>Go back to the model that came with the app (your trained models stay saved)</source>
        <translation>换回应用自带的模型（你训练的模型仍会保留）</translation>
    </message>
    <message>
        <source>Undo stroke</source>
        <translation>撤销笔画</translation>
    </message>
    <message>
        <source>Clear canvas</source>
        <translation>清空画布</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>Export a report</source>
        <translation>导出报告</translation>
    </message>
    <message>
        <source>Digits: the network, its training and the digits you drew</source>
        <translation>数字：网络、它的训练以及你写的数字</translation>
    </message>
    <message>
        <source>Houses: the models, their comparison and the houses you priced</source>
        <translation>房价：模型、模型比较以及你估价的房屋</translation>
    </message>
    <message>
        <source>Compare: deep learning and data mining side by side, as measured</source>
        <translation>对比：深度学习与数据挖掘的实测并列比较</translation>
    </message>
    <message>
        <source>PDF document</source>
        <translation>PDF 文档</translation>
    </message>
    <message>
        <source>Web page (HTML, one file)</source>
        <translation>网页（HTML，单个文件）</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Open the report</source>
        <translation>打开报告</translation>
    </message>
    <message>
        <source>Include:</source>
        <translation>包含：</translation>
    </message>
    <message>
        <source>Format:</source>
        <translation>格式：</translation>
    </message>
    <message>
        <source>File:</source>
        <translation>文件：</translation>
    </message>
    <message>
        <source>DeepMine report {date}</source>
        <translation>深度挖掘报告 {date}</translation>
    </message>
    <message>
        <source>Save the report as</source>
        <translation>报告另存为</translation>
    </message>
    <message>
        <source>PDF document (*.pdf);;Web page (*.html)</source>
        <translation>PDF 文档 (*.pdf);;网页 (*.html)</translation>
    </message>
    <message>
        <source>Web page (*.html);;PDF document (*.pdf)</source>
        <translation>网页 (*.html);;PDF 文档 (*.pdf)</translation>
    </message>
    <message>
        <source>Choose at least one part to include.</source>
        <translation>请至少选择一个要包含的部分。</translation>
    </message>
    <message>
        <source>Choose a file name.</source>
        <translation>请选择文件名。</translation>
    </message>
    <message>
        <source>The file name must end in .pdf or .html.</source>
        <translation>文件名必须以 .pdf 或 .html 结尾。</translation>
    </message>
    <message>
        <source>Replace the file?</source>
        <translation>替换该文件？</translation>
    </message>
    <message>
        <source>{name} already exists. Replace it?</source>
        <translation>{name} 已存在。要替换它吗？</translation>
    </message>
    <message>
        <source>Preparing the report…</source>
        <translation>正在准备报告…</translation>
    </message>
    <message>
        <source>Saved: {path}</source>
        <translation>已保存：{path}</translation>
    </message>
    <message>
        <source>The report was not saved: {reason}</source>
        <translation>报告未保存：{reason}</translation>
    </message>
</context>
<context>
    <name>HouseForm</name>
    <message>
        <source>Predict price</source>
        <translation>预测价格</translation>
    </message>
    <message>
        <source>Typical house</source>
        <translation>典型房屋</translation>
    </message>
    <message>
        <source>Reset every feature to the data set's median</source>
        <translation>把每个特征重置为数据集的中位数</translation>
    </message>
    <message>
        <source>row </source>
        <translation>行 </translation>
    </message>
    <message>
        <source>A house from the data set, by row number</source>
        <translation>按行号选择数据集中的一套房屋</translation>
    </message>
    <message>
        <source>Load from data set</source>
        <translation>从数据集载入</translation>
    </message>
    <message>
        <source>Fill the form with a real house and show its true price</source>
        <translation>用一套真实房屋填写表单，并显示它的真实价格</translation>
    </message>
    <message>
        <source>The house</source>
        <translation>房屋</translation>
    </message>
    <message>
        <source>not used</source>
        <translation>未使用</translation>
    </message>
    <message>
        <source>Outside the training data: {names}. The model has never seen a house like this; treat the price with care.</source>
        <translation>超出训练数据范围：{names}。模型从未见过这样的房屋；请谨慎看待这个价格。</translation>
    </message>
</context>
<context>
    <name>HousePlots</name>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>houses = </source>
        <translation>房屋数 = </translation>
    </message>
    <message>
        <source>price = </source>
        <translation>价格 = </translation>
    </message>
    <message>
        <source>The decision tree (top {depth} levels); this house's path is highlighted</source>
        <translation>决策树（前 {depth} 层）；高亮显示的是这套房屋的路径</translation>
    </message>
    <message>
        <source>Share of the model's decisions (importance)</source>
        <translation>在模型决策中所占的份额（重要性）</translation>
    </message>
    <message>
        <source>Which features the models rely on</source>
        <translation>模型依赖哪些特征</translation>
    </message>
    <message>
        <source>this house</source>
        <translation>这套房屋</translation>
    </message>
    <message>
        <source>Predicted price ($1000s)</source>
        <translation>预测价格（千美元）</translation>
    </message>
    <message>
        <source>What if {feature} changed, everything else the same?</source>
        <translation>如果只改变 {feature}，其余不变，会怎样？</translation>
    </message>
    <message>
        <source>training error</source>
        <translation>训练误差</translation>
    </message>
    <message>
        <source>cross-validated error</source>
        <translation>交叉验证误差</translation>
    </message>
    <message>
        <source>best: depth {depth}</source>
        <translation>最佳：深度 {depth}</translation>
    </message>
    <message>
        <source>current depth</source>
        <translation>当前深度</translation>
    </message>
    <message>
        <source>Tree depth</source>
        <translation>树的深度</translation>
    </message>
    <message>
        <source>Mean squared error</source>
        <translation>均方误差</translation>
    </message>
    <message>
        <source>Deeper trees fit the training data better — and new houses worse</source>
        <translation>树越深，越贴合训练数据——对新房屋的预测却越差</translation>
    </message>
    <message>
        <source>Actual price ($1000s)</source>
        <translation>实际价格（千美元）</translation>
    </message>
    <message>
        <source>perfect prediction</source>
        <translation>完美预测</translation>
    </message>
    <message>
        <source>Held-out houses (20%): predicted against actual</source>
        <translation>留出的房屋（20%）：预测值与实际值</translation>
    </message>
</context>
<context>
    <name>HouseTab</name>
    <message>
        <source>Why: the tree</source>
        <translation>原因：决策树</translation>
    </message>
    <message>
        <source>Feature importances</source>
        <translation>特征重要性</translation>
    </message>
    <message>
        <source>Sweep:</source>
        <translation>扫描：</translation>
    </message>
    <message>
        <source>What if…</source>
        <translation>假如…</translation>
    </message>
    <message>
        <source>Model lab</source>
        <translation>模型实验室</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <source>Training failed: {reason}</source>
        <translation>训练失败：{reason}</translation>
    </message>
    <message>
        <source>Cannot price this house: {reason}</source>
        <translation>无法为这套房屋估价：{reason}</translation>
    </message>
    <message>
        <source>true price: {price}</source>
        <translation>真实价格：{price}</translation>
    </message>
    <message>
        <source>Why: {explanation}</source>
        <translation>原因：{explanation}</translation>
    </message>
    <message>
        <source>Reading {name}…</source>
        <translation>正在读取 {name}……</translation>
    </message>
    <message>
        <source>Training the house models…</source>
        <translation>正在训练房价模型…</translation>
    </message>
    <message>
        <source>Trained on {data}: {n} houses. Recommended model: {model}.</source>
        <translation>已在{data}上训练：{n} 套房屋。推荐模型：{model}。</translation>
    </message>
    <message>
        <source>The house models are ready.</source>
        <translation>房价模型已就绪。</translation>
    </message>
    <message>
        <source>The previous models are still in use.</source>
        <translation>仍在使用之前的模型。</translation>
    </message>
    <message>
        <source>{price} thousand dollars (± {err}, decision tree)</source>
        <translation>{price} 千美元（± {err}，决策树）</translation>
    </message>
    <message>
        <source>(recommended)</source>
        <translation>（推荐）</translation>
    </message>
    <message>
        <source>House added to the report ({n} so far).</source>
        <translation>房屋已加入报告（目前共 {n} 套）。</translation>
    </message>
    <message>
        <source>Import houses</source>
        <translation>导入房屋</translation>
    </message>
    <message>
        <source>CSV files (*.csv *.txt);;All files (*)</source>
        <translation>CSV 文件 (*.csv *.txt);;所有文件 (*)</translation>
    </message>
    <message>
        <source>The current model stays.</source>
        <translation>当前模型保持不变。</translation>
    </message>
    <message>
        <source>The file was not used</source>
        <translation>未使用该文件</translation>
    </message>
    <message>
        <source>Houses to price</source>
        <translation>要估价的房屋</translation>
    </message>
    <message>
        <source>Save the prices as</source>
        <translation>价格另存为</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Priced {n} houses → {path}</source>
        <translation>已为 {n} 套房屋估价 → {path}</translation>
    </message>
</context>
<context>
    <name>LabPage</name>
    <message>
        <source>How many questions the tree may ask before it answers</source>
        <translation>树在给出答案之前最多可以提几个问题</translation>
    </message>
    <message>
        <source>The fewest houses a leaf may hold: larger values give smoother trees</source>
        <translation>每个叶节点至少包含的房屋数：数值越大，树越平滑</translation>
    </message>
    <message>
        <source>Train without the B column</source>
        <translation>不使用 B 列训练</translation>
    </message>
    <message>
        <source>Retrain</source>
        <translation>重新训练</translation>
    </message>
    <message>
        <source>Tree depth:</source>
        <translation>树的深度：</translation>
    </message>
    <message>
        <source>Min. houses per leaf:</source>
        <translation>每叶最少房屋数：</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>MSE</source>
        <translation>MSE</translation>
    </message>
    <message>
        <source>MAE</source>
        <translation>MAE</translation>
    </message>
    <message>
        <source>5-fold cross-validation on {n} houses (lower MSE/MAE and higher R² are better; ★ = recommended). Tree depth {depth}, at least {leaf} houses per leaf{b}.</source>
        <translation>在 {n} 套房屋上进行 5 折交叉验证（MSE/MAE 越低、R² 越高越好；★ = 推荐）。树深度 {depth}，每个叶节点至少 {leaf} 套房屋{b}。</translation>
    </message>
    <message>
        <source>, without B</source>
        <translation>，不使用 B 列</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>DeepMine Workbench</source>
        <translation>深度挖掘工作台</translation>
    </message>
    <message>
        <source>Digits — deep learning</source>
        <translation>数字——深度学习</translation>
    </message>
    <message>
        <source>Houses — data mining</source>
        <translation>房价——数据挖掘</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <source>Compare — side by side</source>
        <translation>对比 —— 并列比较</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Export report…</source>
        <translation>导出报告(&amp;E)…</translation>
    </message>
    <message>
        <source>Save what you did as a PDF or HTML report</source>
        <translation>把你的操作保存为 PDF 或 HTML 报告</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About DeepMine Workbench</source>
        <translation>关于深度挖掘工作台(&amp;A)</translation>
    </message>
    <message>
        <source>Language changed</source>
        <translation>语言已更改</translation>
    </message>
    <message>
        <source>The new language applies after a restart. Restart DeepMine Workbench now?</source>
        <translation>新语言将在重启后生效。现在重启深度挖掘工作台吗？</translation>
    </message>
    <message>
        <source>About DeepMine Workbench</source>
        <translation>关于深度挖掘工作台</translation>
    </message>
    <message>
        <source>&lt;h3&gt;DeepMine Workbench {version}&lt;/h3&gt;&lt;p&gt;Deep learning and data mining side by side: a Keras network that reads your handwriting and a scikit-learn decision tree that prices a house and explains why.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;深度挖掘工作台 {version}&lt;/h3&gt;&lt;p&gt;深度学习与数据挖掘并排展示：一个读懂你手写数字的 Keras 神经网络，和一棵为房屋估价并解释原因的 scikit-learn 决策树。&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>SamplesPage</name>
    <message>
        <source>Delete selected</source>
        <translation>删除所选</translation>
    </message>
    <message>
        <source>Fine-tune on my handwriting</source>
        <translation>用我的手写微调</translation>
    </message>
    <message>
        <source>Retrain the current model on MNIST plus your saved digits</source>
        <translation>用 MNIST 加上你保存的数字重新训练当前模型</translation>
    </message>
    <message>
        <source>Digits you corrected with “That's wrong…” are kept here, in your own data folder. Double-click one to put it on the canvas.</source>
        <translation>你通过“识别错了…”纠正过的数字保存在这里（你自己的数据文件夹中）。双击即可放到画布上。</translation>
    </message>
</context>
<context>
    <name>TrainingPanel</name>
    <message>
        <source>Convolutional network (CNN, default)</source>
        <translation>卷积神经网络（CNN，默认）</translation>
    </message>
    <message>
        <source>Classic MLP (the seed model)</source>
        <translation>经典多层感知机（种子模型）</translation>
    </message>
    <message>
        <source>Augment the data</source>
        <translation>数据增强</translation>
    </message>
    <message>
        <source>Show the network shifted, rotated, scaled, thicker and thinner copies of the digits while training</source>
        <translation>训练时给网络看平移、旋转、缩放以及笔画加粗、变细后的数字副本</translation>
    </message>
    <message>
        <source>Add typeset digits</source>
        <translation>加入印刷体数字</translation>
    </message>
    <message>
        <source>Also learn from digits typeset in 18 fonts: 1s with a flag and a foot, 9s with a curved tail — shapes many people write and MNIST lacks</source>
        <translation>同时学习 18 种字体排印的数字：带钩和底座的 1、尾巴弯曲的 9——很多人这样写，而 MNIST 中缺少这些写法</translation>
    </message>
    <message>
        <source>Offline sample (5,000 digits, always available)</source>
        <translation>离线样本（5,000 个数字，始终可用）</translation>
    </message>
    <message>
        <source>Full MNIST (60,000 digits; downloaded if possible)</source>
        <translation>完整 MNIST（60,000 个数字；尽可能下载）</translation>
    </message>
    <message>
        <source>MNIST file on this computer…</source>
        <translation>本机上的 MNIST 文件…</translation>
    </message>
    <message>
        <source>All digits of the chosen data</source>
        <translation>所选数据的全部数字</translation>
    </message>
    <message>
        <source>{n} digits</source>
        <translation>{n} 个数字</translation>
    </message>
    <message>
        <source>Train on a random subset: fewer digits train faster and show how much data a network needs</source>
        <translation>在随机子集上训练：数字越少训练越快，也能看出网络需要多少数据</translation>
    </message>
    <message>
        <source>How many passes over the training data</source>
        <translation>遍历训练数据的次数</translation>
    </message>
    <message>
        <source>Digits per training step</source>
        <translation>每个训练步骤使用的数字个数</translation>
    </message>
    <message>
        <source>Step size of the Adam optimiser</source>
        <translation>Adam 优化器的步长</translation>
    </message>
    <message>
        <source>Share of neurons switched off while training, against overfitting</source>
        <translation>训练时随机关闭的神经元比例，用于防止过拟合</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>模型：</translation>
    </message>
    <message>
        <source>Epochs:</source>
        <translation>训练轮数：</translation>
    </message>
    <message>
        <source>Batch size:</source>
        <translation>批大小：</translation>
    </message>
    <message>
        <source>Learning rate:</source>
        <translation>学习率：</translation>
    </message>
    <message>
        <source>Dropout:</source>
        <translation>Dropout：</translation>
    </message>
    <message>
        <source>Training data:</source>
        <translation>训练数据：</translation>
    </message>
    <message>
        <source>Digits used:</source>
        <translation>使用的数字：</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Train a model</source>
        <translation>训练模型</translation>
    </message>
    <message>
        <source>Click a digit to load it into the canvas</source>
        <translation>单击一个数字即可载入画布</translation>
    </message>
    <message>
        <source>Learning curves</source>
        <translation>学习曲线</translation>
    </message>
    <message>
        <source>Confusion matrix</source>
        <translation>混淆矩阵</translation>
    </message>
    <message>
        <source>Test digits the model got wrong (true → predicted). Click one to try it.</source>
        <translation>模型识别错误的测试数字（真实 → 预测）。单击一个试试。</translation>
    </message>
    <message>
        <source>Mistakes</source>
        <translation>错误样本</translation>
    </message>
    <message>
        <source>Choose an MNIST file</source>
        <translation>选择 MNIST 文件</translation>
    </message>
    <message>
        <source>MNIST files (*.npz *.gz);;All files (*)</source>
        <translation>MNIST 文件 (*.npz *.gz);;所有文件 (*)</translation>
    </message>
    <message>
        <source>MNIST file: {name}</source>
        <translation>MNIST 文件：{name}</translation>
    </message>
    <message>
        <source>No evaluation available.</source>
        <translation>没有评估结果。</translation>
    </message>
    <message>
        <source>Test accuracy: {acc} on {n} digits ({source})</source>
        <translation>测试准确率：{acc}，共 {n} 个数字（{source}）</translation>
    </message>
    <message>
        <source>Predicted</source>
        <translation>预测</translation>
    </message>
    <message>
        <source>True</source>
        <translation>真实</translation>
    </message>
    <message>
        <source>True {true}, predicted {pred} ({conf} sure)</source>
        <translation>真实 {true}，预测 {pred}（把握 {conf}）</translation>
    </message>
    <message>
        <source>training</source>
        <translation>训练集</translation>
    </message>
    <message>
        <source>validation</source>
        <translation>验证集</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <source>Epoch</source>
        <translation>轮次</translation>
    </message>
</context>
</TS>